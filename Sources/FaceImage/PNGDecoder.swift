import CPNG

/// PNG through libpng's simplified API (png_image), which catches libpng's longjmp errors
/// internally, so no setjmp is needed on the Swift side.
///
/// Every PNG type (1/2/4/8/16-bit; gray, gray+alpha, RGB, RGBA, palette with or without tRNS;
/// interlaced) is read as 8-bit RGB or RGBA. 16-bit samples are taken as sRGB-encoded (as Pillow
/// and dlib do), not as linear light (libpng's default for the simplified API). With an alpha
/// channel the image is read as RGBA and the alpha byte dropped, leaving the colour as stored.
enum PNGDecoder {
    private static let formatColor: UInt32 = 0x02  // PNG_FORMAT_FLAG_COLOR
    private static let formatAlpha: UInt32 = 0x01  // PNG_FORMAT_FLAG_ALPHA
    private static let flag16BitSRGB: UInt32 = 0x04  // PNG_IMAGE_FLAG_16BIT_sRGB

    static func decode(_ bytes: [UInt8], limits: DecodeLimits) throws(ImageDecodeError) -> StoredPixels {
        let result: Result<StoredPixels, ImageDecodeError> = bytes.withUnsafeBufferPointer { b in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            guard png_image_begin_read_from_memory(&image, b.baseAddress, b.count) != 0 else {
                defer { png_image_free(&image) }
                return .failure(failure(&image))
            }
            let w = Int(image.width), h = Int(image.height)
            if let refusal = ImageDecoder.dimensionRefusal(width: w, height: h, limits: limits) {
                png_image_free(&image)
                return .failure(refusal)
            }
            let hasAlpha = image.format & formatAlpha != 0
            let channels = hasAlpha ? 4 : 3
            image.format = formatColor | (hasAlpha ? formatAlpha : 0)
            image.flags |= flag16BitSRGB
            let count = w * h * channels
            var ok = false
            var rgb = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                ok = png_image_finish_read(&image, nil, out.baseAddress, Int32(w * channels), nil) != 0
                initialized = count
            }
            guard ok else {
                defer { png_image_free(&image) }
                return .failure(failure(&image))
            }
            if hasAlpha { dropAlpha(&rgb, pixels: w * h) }
            return .success(StoredPixels(rgb: rgb, width: w, height: h, originalWidth: w, originalHeight: h))
        }
        return try result.get()
    }

    /// RGBA to RGB in place, front to back (each write lands at or before its read).
    private static func dropAlpha(_ buffer: inout [UInt8], pixels: Int) {
        buffer.withUnsafeMutableBufferPointer { b in
            guard let p = b.baseAddress else { return }
            for i in 0..<pixels {
                p[i * 3] = p[i * 4]
                p[i * 3 + 1] = p[i * 4 + 1]
                p[i * 3 + 2] = p[i * 4 + 2]
            }
        }
        buffer.removeLast(pixels)
    }

    private static func failure(_ image: inout png_image) -> ImageDecodeError {
        let text = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if text.contains("beyond end of data") || text.contains("Not enough image data") || text.contains("Truncated") {
            return .truncated(format: .png)
        }
        return .corrupt(format: .png, reason: text)
    }
}
