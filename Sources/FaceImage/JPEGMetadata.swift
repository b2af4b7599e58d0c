/// Reads the EXIF orientation of a JPEG by walking its marker segments up to the first scan.
///
/// JPEG layout: FF D8 (SOI), then segments, each FF <marker> (extra FF fill bytes allowed before
/// the marker), and for every marker except RSTn (D0-D7), TEM (01) and SOI a big-endian UInt16
/// length that counts itself plus the payload. The walk stops at SOS (DA) or EOI (D9): metadata
/// comes before the image data.
/// EXIF lives in APP1 (E1): payload "Exif\0\0" followed by a TIFF block (see ExifOrientationReader).
/// The frame size lives in SOFn (C0-CF except C4, C8, CC): precision byte, UInt16 height, UInt16 width.
struct JPEGMetadata {
    var orientation: ExifOrientation?
    /// The frame header's size, when one was found before the first scan.
    var frameSize: (width: Int, height: Int)?

    init(_ bytes: [UInt8]) {
        var at = 2
        while at + 4 <= bytes.count {
            guard bytes[at] == 0xFF else { return }
            var marker = bytes[at + 1]
            at += 1
            while marker == 0xFF {
                at += 1
                guard at + 1 < bytes.count else { return }
                marker = bytes[at]
            }
            at += 1
            if marker == 0xDA || marker == 0xD9 { return }
            if (0xD0...0xD8).contains(marker) || marker == 0x01 { continue }
            guard at + 2 <= bytes.count else { return }
            let length = Int(bytes[at]) << 8 | Int(bytes[at + 1])
            guard length >= 2, at + length <= bytes.count else { return }
            let payload = bytes[(at + 2)..<(at + length)]
            if marker == 0xE1, orientation == nil, payload.starts(with: [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]) {
                orientation = ExifOrientationReader.orientation(exifPayload: payload)
            }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker), payload.count >= 5 {
                let p = payload.startIndex
                frameSize = (Int(payload[p + 3]) << 8 | Int(payload[p + 4]), Int(payload[p + 1]) << 8 | Int(payload[p + 2]))
            }
            at += length
        }
    }
}
