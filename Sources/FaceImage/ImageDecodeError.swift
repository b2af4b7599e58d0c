/// Why an input could not be decoded. Every case is a refusal of the input, never an internal fault.
public enum ImageDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No bytes at all.
    case empty
    /// The input is larger than `DecodeLimits.maxBytes`.
    case inputTooLarge(byteCount: Int, limit: Int)
    /// The leading bytes match no image format (the first up to 4 bytes are kept for the message).
    case unrecognizedFormat(leadingBytes: [UInt8])
    /// A known image format that this decoder does not read (GIF, TIFF, HEIC, AVIF, BMP).
    case unsupportedFormat(name: String)
    /// The header declares a zero width or height.
    case zeroDimensions(width: Int, height: Int)
    /// The header declares more pixels than `DecodeLimits.maxPixels` (refused before decoding).
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// The data ends before the image does.
    case truncated(format: ImageFormat)
    /// The data is damaged or not a valid file of its format; `reason` is the codec's message.
    case corrupt(format: ImageFormat, reason: String)
    /// A valid file using a feature this decoder refuses (e.g. CMYK JPEG, animated WebP).
    case unsupportedFeature(format: ImageFormat, feature: String)

    public var description: String {
        switch self {
        case .empty:
            return "empty input"
        case let .inputTooLarge(byteCount, limit):
            return "input is \(byteCount) bytes, more than the limit of \(limit)"
        case let .unrecognizedFormat(leadingBytes):
            let hex = leadingBytes.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            return "not a JPEG, PNG or WebP image (starts with \(hex.isEmpty ? "nothing" : hex))"
        case let .unsupportedFormat(name):
            return "\(name) images are not supported (send JPEG, PNG or WebP)"
        case let .zeroDimensions(width, height):
            return "image header declares \(width)x\(height) pixels"
        case let .tooManyPixels(width, height, limit):
            return "image is \(width)x\(height) pixels, more than the limit of \(limit) pixels"
        case let .truncated(format):
            return "\(format.rawValue) data is truncated"
        case let .corrupt(format, reason):
            return "\(format.rawValue) data is corrupt: \(reason)"
        case let .unsupportedFeature(format, feature):
            return "\(format.rawValue) feature not supported: \(feature)"
        }
    }
}
