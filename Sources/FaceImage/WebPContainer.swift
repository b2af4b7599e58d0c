/// What the RIFF container of a WebP file says, read without decoding.
///
/// Layout: "RIFF", little-endian UInt32 size (of everything after these 8 bytes), "WEBP", then
/// chunks: 4-byte FourCC, little-endian UInt32 payload size, payload, one pad byte when the size
/// is odd. Simple files hold one "VP8 " or "VP8L" chunk; extended files start with "VP8X"
/// (flags byte: 0x02 animation, 0x08 EXIF, 0x10 alpha) and may carry "EXIF" (a TIFF block,
/// sometimes behind an "Exif\0\0" prefix), "ANIM"/"ANMF" frames, "ICCP", "XMP ".
struct WebPContainer {
    /// The RIFF size field says the file is longer than the data we have.
    var isTruncated = false
    var isAnimated = false
    var orientation: ExifOrientation?

    init(_ bytes: [UInt8]) {
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        guard bytes.count >= 12 else { isTruncated = true; return }
        let riffEnd = 8 + u32(4)
        if riffEnd > bytes.count { isTruncated = true }
        let end = min(riffEnd, bytes.count)
        var at = 12
        while at + 8 <= end {
            let fourCC = String(decoding: bytes[at..<(at + 4)], as: UTF8.self)
            let size = u32(at + 4)
            let dataStart = at + 8
            guard size <= end - dataStart else { return }
            switch fourCC {
            case "VP8X":
                if size >= 1, bytes[dataStart] & 0x02 != 0 { isAnimated = true }
            case "ANIM", "ANMF":
                isAnimated = true
            case "EXIF":
                orientation = ExifOrientationReader.orientation(exifPayload: bytes[dataStart..<(dataStart + size)])
            default:
                break
            }
            at = dataStart + size + (size & 1)
        }
    }
}
