/// Reads a PNG's declared size and EXIF orientation by walking its chunks, before libpng runs.
///
/// PNG layout: the 8-byte signature, then chunks: big-endian UInt32 data length, 4-byte type,
/// data, 4-byte CRC. IHDR comes first: UInt32 width, UInt32 height, then depth, colour type...
/// eXIf holds a TIFF block (PNG 1.5 extension); only chunks before the first IDAT are read, as
/// browsers do. CRCs are left to libpng.
struct PNGMetadata {
    var headerSize: (width: Int, height: Int)?
    var orientation: ExifOrientation?

    init(_ bytes: [UInt8]) {
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        var at = 8
        while at + 8 <= bytes.count {
            let length = u32(at)
            let type = String(decoding: bytes[(at + 4)..<(at + 8)], as: UTF8.self)
            let dataStart = at + 8
            guard length <= bytes.count - dataStart else { return }
            switch type {
            case "IDAT", "IEND":
                return
            case "IHDR" where length >= 8:
                headerSize = (u32(dataStart), u32(dataStart + 4))
            case "eXIf":
                orientation = ExifOrientationReader.orientation(exifPayload: bytes[dataStart..<(dataStart + length)])
            default:
                break
            }
            at = dataStart + length + 4
        }
    }
}
