/// dlib's `input_rgb_image_pyramid<pyramid_down<6>>`: per-channel means subtracted before
/// dividing by 256, and the gaps used when tiling the pyramid levels into one image.
struct PyramidInputSettings: Sendable, Equatable {
    let averageRed: Float
    let averageGreen: Float
    let averageBlue: Float
    /// Zero pixels between pyramid levels.
    let padding: Int
    /// Zero pixels around the whole tiled image.
    let outerPadding: Int

    init(averageRed: Float = 122.782, averageGreen: Float = 117.001, averageBlue: Float = 104.298,
                padding: Int = 10, outerPadding: Int = 11) {
        self.averageRed = averageRed
        self.averageGreen = averageGreen
        self.averageBlue = averageBlue
        self.padding = padding
        self.outerPadding = outerPadding
    }

    /// string "input_rgb_image_pyramid" (paddings default to 10 and 11) or "input_rgb_image_pyramid2";
    /// float avg_red, avg_green, avg_blue; version 2: ulong pyramid_padding, pyramid_outer_padding.
    static func read(from reader: inout DlibDeserializer) throws -> PyramidInputSettings {
        let start = reader.offset
        let name = try reader.readString(limit: 64)
        guard name == "input_rgb_image_pyramid" || name == "input_rgb_image_pyramid2" else {
            throw DlibModelError.unexpectedArchitecture("expected input_rgb_image_pyramid, found \"\(name)\"")
        }
        let red = try reader.readFloat()
        let green = try reader.readFloat()
        let blue = try reader.readFloat()
        guard [red, green, blue].allSatisfy({ $0.isFinite }) else {
            throw DlibModelError.malformed("non-finite input means", at: start)
        }
        guard name == "input_rgb_image_pyramid2" else {
            return PyramidInputSettings(averageRed: red, averageGreen: green, averageBlue: blue)
        }
        let padding = try reader.readCount(limit: 1000)
        let outerPadding = try reader.readCount(limit: 1000)
        return PyramidInputSettings(averageRed: red, averageGreen: green, averageBlue: blue,
                                    padding: padding, outerPadding: outerPadding)
    }
}
