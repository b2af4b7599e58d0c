import CWebP

/// WebP (lossy, lossless, with or without alpha) through libwebp's advanced decoding API into
/// our own RGB buffer. Alpha is dropped (libwebp's RGB output mode keeps the colour as stored).
/// Animated WebP is refused: a photo for face matching is a still image, and its first frame
/// may be a partial tile that needs canvas compositing.
enum WebPDecoder {
    static func decode(_ bytes: [UInt8], container: WebPContainer, limits: DecodeLimits) throws(ImageDecodeError) -> StoredPixels {
        var config = WebPDecoderConfig()
        guard WebPInitDecoderConfig(&config) != 0 else {
            throw .corrupt(format: .webp, reason: "libwebp version mismatch")
        }
        let featureStatus = bytes.withUnsafeBufferPointer { b in
            WebPGetFeatures(b.baseAddress, b.count, &config.input)
        }
        guard featureStatus == VP8_STATUS_OK else { throw failure(featureStatus, container: container) }
        let w = Int(config.input.width), h = Int(config.input.height)
        try ImageDecoder.checkDimensions(width: w, height: h, limits: limits)
        if config.input.has_animation != 0 || container.isAnimated {
            throw .unsupportedFeature(format: .webp, feature: "animation")
        }
        let count = w * h * 3
        var status = VP8_STATUS_OK
        let rgb = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            config.output.colorspace = MODE_RGB
            config.output.is_external_memory = 1
            config.output.u.RGBA.rgba = out.baseAddress
            config.output.u.RGBA.stride = Int32(w * 3)
            config.output.u.RGBA.size = count
            status = bytes.withUnsafeBufferPointer { b in WebPDecode(b.baseAddress, b.count, &config) }
            initialized = count
        }
        WebPFreeDecBuffer(&config.output)
        guard status == VP8_STATUS_OK else { throw failure(status, container: container) }
        return StoredPixels(rgb: rgb, width: w, height: h, originalWidth: w, originalHeight: h)
    }

    private static func failure(_ status: VP8StatusCode, container: WebPContainer) -> ImageDecodeError {
        if status == VP8_STATUS_NOT_ENOUGH_DATA || container.isTruncated { return .truncated(format: .webp) }
        if status == VP8_STATUS_UNSUPPORTED_FEATURE { return .unsupportedFeature(format: .webp, feature: "VP8 status \(status.rawValue)") }
        return .corrupt(format: .webp, reason: "libwebp status \(status.rawValue)")
    }
}
