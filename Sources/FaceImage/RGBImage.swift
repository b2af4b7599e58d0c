/// An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B, no row padding.
/// The currency between decoding, detection, landmarks and chip extraction.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 3, "RGBImage size mismatch")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public init(width: Int, height: Int) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: 0, count: width * height * 3))
    }

    @inline(__always) public func index(x: Int, y: Int) -> Int { (y * width + x) * 3 }
}
