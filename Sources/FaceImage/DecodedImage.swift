/// The result of decoding: an upright working image no larger than the decode limits allow, plus
/// what is needed to report coordinates in the original image's upright frame.
public struct DecodedImage: Sendable, Equatable {
    /// Upright (EXIF applied), longer side at most `DecodeLimits.maxWorkingSide`.
    public let image: RGBImage
    /// Size of the full-resolution image once turned upright.
    public let originalWidth: Int
    public let originalHeight: Int
    public let format: ImageFormat
    /// The EXIF orientation that was applied (`.topLeft` when the file has none).
    public let orientation: ExifOrientation

    public init(image: RGBImage, originalWidth: Int, originalHeight: Int, format: ImageFormat, orientation: ExifOrientation) {
        self.image = image
        self.originalWidth = originalWidth
        self.originalHeight = originalHeight
        self.format = format
        self.orientation = orientation
    }

    /// Original pixels per working pixel along x and y (1 when the image was not scaled).
    /// The two differ slightly because working sizes are rounded to whole pixels.
    public var scaleX: Double { Double(originalWidth) / Double(image.width) }
    public var scaleY: Double { Double(originalHeight) / Double(image.height) }

    /// Maps a point in working-image pixel coordinates (pixel centres at integers, as dlib's
    /// boxes and landmarks use) to the upright original image. The resampler maps pixel edges
    /// linearly (edge 0 to edge 0, edge `width` to edge `originalWidth`), hence the half-pixel terms.
    public func originalPoint(x: Double, y: Double) -> (x: Double, y: Double) {
        ((x + 0.5) * scaleX - 0.5, (y + 0.5) * scaleY - 0.5)
    }
}
