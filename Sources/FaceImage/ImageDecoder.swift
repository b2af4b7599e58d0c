/// Step 1 of the pipeline: bytes in, upright bounded working image out.
///
/// The format comes from the magic bytes, never a file name. Every limit (input size, pixel
/// count, zero size) is checked from the header before pixel memory is allocated. Alpha is
/// dropped (the colour channels are kept as stored, not composited), as dlib's load_image and
/// Pillow's convert("RGB") do. EXIF orientation is applied for JPEG (APP1), WebP (EXIF chunk)
/// and PNG (eXIf). Images larger than the working size are scaled with `BilinearResampler`.
public enum ImageDecoder {
    public static func decode(_ bytes: [UInt8], limits: DecodeLimits = .default) throws(ImageDecodeError) -> DecodedImage {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= limits.maxBytes else { throw .inputTooLarge(byteCount: bytes.count, limit: limits.maxBytes) }
        let format = try ImageFormat.sniff(bytes).get()
        let orientation: ExifOrientation
        let pixels: StoredPixels
        switch format {
        case .jpeg:
            let metadata = JPEGMetadata(bytes)
            if let size = metadata.frameSize { try checkDimensions(width: size.width, height: size.height, limits: limits) }
            orientation = metadata.orientation ?? .topLeft
            pixels = try JPEGDecoder.decode(bytes, limits: limits)
        case .png:
            let metadata = PNGMetadata(bytes)
            if let size = metadata.headerSize { try checkDimensions(width: size.width, height: size.height, limits: limits) }
            orientation = metadata.orientation ?? .topLeft
            pixels = try PNGDecoder.decode(bytes, limits: limits)
        case .webp:
            let container = WebPContainer(bytes)
            orientation = container.orientation ?? .topLeft
            pixels = try WebPDecoder.decode(bytes, container: container, limits: limits)
        }
        let upright = orientation.uprightSize(width: pixels.originalWidth, height: pixels.originalHeight)
        let working = workingSize(width: upright.width, height: upright.height, maxSide: limits.maxWorkingSide)
        let image = BilinearResampler.resize(pixels, orientation: orientation, toWidth: working.width, height: working.height)
        return DecodedImage(image: image, originalWidth: upright.width, originalHeight: upright.height, format: format, orientation: orientation)
    }

    /// The working size: unchanged when the longer side fits, else scaled so that the longer side
    /// is exactly `maxSide` and the shorter one is rounded half-to-even (as Python's round).
    public static func workingSize(width: Int, height: Int, maxSide: Int) -> (width: Int, height: Int) {
        let longer = max(width, height)
        guard longer > maxSide, maxSide > 0 else { return (width, height) }
        func scaled(_ side: Int) -> Int {
            side == longer ? maxSide : max(1, Int((Double(side) * Double(maxSide) / Double(longer)).rounded(.toNearestOrEven)))
        }
        return (scaled(width), scaled(height))
    }

    /// Header checks shared by all formats, before any pixel allocation.
    static func checkDimensions(width: Int, height: Int, limits: DecodeLimits) throws(ImageDecodeError) {
        if let refusal = dimensionRefusal(width: width, height: height, limits: limits) { throw refusal }
    }

    static func dimensionRefusal(width: Int, height: Int, limits: DecodeLimits) -> ImageDecodeError? {
        guard width > 0, height > 0 else { return .zeroDimensions(width: width, height: height) }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= limits.maxPixels else {
            return .tooManyPixels(width: width, height: height, limit: limits.maxPixels)
        }
        return nil
    }
}

/// Decoded RGB pixels as stored in the file (not yet oriented), possibly reduced by JPEG DCT
/// scaling by 1/`denominator`. The original image then spans `originalWidth / denominator`
/// decoded pixels, a fraction less than `width` when the side is not a multiple of it.
struct StoredPixels {
    var rgb: [UInt8]
    let width: Int
    let height: Int
    let originalWidth: Int
    let originalHeight: Int
    var denominator: Int = 1

    var contentWidth: Double { Double(originalWidth) / Double(denominator) }
    var contentHeight: Double { Double(originalHeight) / Double(denominator) }
}
