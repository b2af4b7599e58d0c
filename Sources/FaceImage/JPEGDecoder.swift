import CTurboJPEG

/// JPEG through libjpeg-turbo's TurboJPEG API (2.x: tjDecompressHeader3 / tjDecompress2).
///
/// Large photos are decoded straight at 1/2, 1/4 or 1/8 scale in the DCT domain (the smallest
/// scale whose longer side still reaches the working size), which is several times faster than
/// a full decode. Decoding is otherwise libjpeg's default (accurate integer IDCT, smooth chroma
/// upsampling), the same as Pillow's, so unscaled decodes match it exactly.
///
/// libjpeg reports some damage only as a warning and fills the rest with grey. Truncation
/// ("Premature end of JPEG file") and corrupt entropy data ("Corrupt JPEG data: ...") are
/// refused; the one benign, common warning (extraneous bytes before a marker, written by many
/// cameras) and other metadata warnings are accepted.
enum JPEGDecoder {
    static func decode(_ bytes: [UInt8], limits: DecodeLimits) throws(ImageDecodeError) -> StoredPixels {
        guard let handle = tjInitDecompress() else {
            throw .corrupt(format: .jpeg, reason: "cannot create a TurboJPEG decompressor")
        }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer { b in
            tjDecompressHeader3(handle, b.baseAddress, UInt(b.count), &width, &height, &subsampling, &colorspace)
        }
        guard headerStatus == 0 else { throw failure(handle, bytes: bytes) }
        let w = Int(width), h = Int(height)
        // TurboJPEG reports a stream that ends before any frame header as tables-only, size 0x0.
        if w == 0 || h == 0, !hasEndOfImage(bytes) { throw .truncated(format: .jpeg) }
        try ImageDecoder.checkDimensions(width: w, height: h, limits: limits)
        if colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue) {
            throw .unsupportedFeature(format: .jpeg, feature: "CMYK colour")
        }
        let d = limits.jpegDCTScaling ? denominator(longerSide: max(w, h), workingSide: limits.maxWorkingSide) : 1
        let sw = (w + d - 1) / d, sh = (h + d - 1) / d
        let count = sw * sh * 3
        var status: Int32 = 0
        let rgb = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            status = bytes.withUnsafeBufferPointer { b in
                tjDecompress2(handle, b.baseAddress, UInt(b.count), out.baseAddress,
                              Int32(sw), 0, Int32(sh), Int32(TJPF_RGB.rawValue), TJFLAG_LIMITSCANS)
            }
            initialized = count
        }
        if status != 0 {
            let fatal = tjGetErrorCode(handle) != Int32(TJERR_WARNING.rawValue)
            if fatal || !isBenignWarning(message(handle)) { throw failure(handle, bytes: bytes) }
        }
        return StoredPixels(rgb: rgb, width: sw, height: sh, originalWidth: w, originalHeight: h, denominator: d)
    }

    /// The largest of 1/2, 1/4, 1/8 (as far as this libjpeg-turbo offers them) that keeps the
    /// longer side at or above twice the working size; 1 when none does. The margin of 2 leaves
    /// the final antialiased resample enough pixels to match a full decode: scaling straight down
    /// to the working size moved obama3.jpg's descriptor 0.068 from dlib's, against 0.06 allowed.
    static func denominator(longerSide: Int, workingSide: Int) -> Int {
        guard workingSide > 0, longerSide > workingSide else { return 1 }
        var n: Int32 = 0
        guard let factors = tjGetScalingFactors(&n) else { return 1 }
        var best = 1
        for i in 0..<Int(max(n, 0)) where factors[i].num == 1 {
            let d = Int(factors[i].denom)
            if [2, 4, 8].contains(d), d > best, longerSide >= workingSide * d * 2 { best = d }
        }
        return best
    }

    private static func message(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown error" }
        return String(cString: text)
    }

    private static func isBenignWarning(_ message: String) -> Bool {
        if message.contains("extraneous bytes before marker") { return true }
        return !(message.contains("Premature end") || message.contains("Corrupt JPEG data"))
    }

    private static func failure(_ handle: tjhandle, bytes: [UInt8]) -> ImageDecodeError {
        let text = message(handle)
        if text.contains("Premature end of JPEG file") || !hasEndOfImage(bytes) {
            return .truncated(format: .jpeg)
        }
        return .corrupt(format: .jpeg, reason: text)
    }

    /// An EOI marker (FF D9) somewhere after the start: absent in a truncated file.
    private static func hasEndOfImage(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        var i = bytes.count - 2
        while i >= 2 {
            if bytes[i] == 0xFF, bytes[i + 1] == 0xD9 { return true }
            i -= 1
        }
        return false
    }
}
