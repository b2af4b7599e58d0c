/// Image container formats, recognised by their leading magic bytes only (never by file name).
///
///   JPEG: FF D8 FF
///   PNG:  89 50 4E 47 0D 0A 1A 0A
///   WebP: "RIFF" <4-byte size> "WEBP"
/// Recognised but unsupported (named in the error): GIF ("GIF8"), BMP ("BM"), TIFF ("II*\0" or
/// "MM\0*"), and ISO-BMFF images (bytes 4..<8 "ftyp", brands heic/heix/mif1/avif...).
public enum ImageFormat: String, Sendable, Equatable {
    case jpeg = "JPEG"
    case png = "PNG"
    case webp = "WebP"

    /// What the leading bytes say: a supported format, the name of a known unsupported one, or nil.
    static func sniff(_ bytes: [UInt8]) -> Result<ImageFormat, ImageDecodeError> {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .success(.jpeg) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .success(.png) }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .success(.webp) }
        if starts(Array("GIF8".utf8)) { return .failure(.unsupportedFormat(name: "GIF")) }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) {
            return .failure(.unsupportedFormat(name: "TIFF"))
        }
        if starts(Array("ftyp".utf8), at: 4) && bytes.count >= 12 {
            let brand = String(decoding: bytes[8..<12], as: UTF8.self)
            let name = brand.hasPrefix("avi") ? "AVIF" : "HEIF/HEIC"
            return .failure(.unsupportedFormat(name: name))
        }
        if starts(Array("BM".utf8)) && bytes.count >= 26 { return .failure(.unsupportedFormat(name: "BMP")) }
        return .failure(.unrecognizedFormat(leadingBytes: Array(bytes.prefix(4))))
    }
}
