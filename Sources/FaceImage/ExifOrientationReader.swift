/// Finds the Orientation tag in an EXIF TIFF block, bounds-checked at every step.
///
/// TIFF block layout (all offsets relative to the block start):
///   0: "II" (little-endian) or "MM" (big-endian)
///   2: UInt16 42
///   4: UInt32 offset of IFD0
/// IFD: UInt16 entry count, then 12-byte entries:
///   UInt16 tag, UInt16 type, UInt32 count, 4-byte value or offset.
/// Orientation is tag 0x0112, type SHORT (3), count 1, value in the first 2 value bytes.
/// Some writers store it as LONG (4); that is accepted too.
enum ExifOrientationReader {
    /// The orientation in `tiff`, or nil when absent, out of range or unreadable (unreadable
    /// metadata never fails a decode: the image is then taken as stored).
    static func orientation(tiff: ArraySlice<UInt8>) -> ExifOrientation? {
        let start = tiff.startIndex
        let count = tiff.count
        guard count >= 8 else { return nil }
        let bigEndian: Bool
        switch (tiff[start], tiff[start + 1]) {
        case (0x49, 0x49): bigEndian = false
        case (0x4D, 0x4D): bigEndian = true
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= count else { return nil }
            let a = Int(tiff[start + at]), b = Int(tiff[start + at + 1])
            return bigEndian ? a << 8 | b : b << 8 | a
        }
        func u32(_ at: Int) -> Int? {
            guard let hi = u16(bigEndian ? at : at + 2), let lo = u16(bigEndian ? at + 2 : at) else { return nil }
            return hi << 16 | lo
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for i in 0..<entries {
            let entry = ifd + 2 + i * 12
            guard let tag = u16(entry), let type = u16(entry + 2) else { return nil }
            guard tag == 0x0112 else { continue }
            let value: Int?
            switch type {
            case 3: value = u16(entry + 8)
            case 4: value = u32(entry + 8)
            default: value = nil
            }
            return value.flatMap(ExifOrientation.init(rawValue:))
        }
        return nil
    }

    /// Accepts a block that starts either with the TIFF header or with the APP1 "Exif\0\0" prefix
    /// (WebP and PNG writers disagree on whether to keep it).
    static func orientation(exifPayload: ArraySlice<UInt8>) -> ExifOrientation? {
        let prefix: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]
        if exifPayload.starts(with: prefix) {
            return orientation(tiff: exifPayload.dropFirst(prefix.count))
        }
        return orientation(tiff: exifPayload)
    }
}
