/// Byte layout of the root file `<store>/STORE` (little-endian), written once at creation:
///   0  8  magic "FMSTORE1"
///   8  4  format version (1)
///   12 4  dimension
///   16 2  model id length n (1...128)
///   18 n  model id, UTF-8
///   18+n 8 XXH64 (seed 0) of bytes 0..<18+n
enum StoreHeader {
    static let magic: [UInt8] = Array("FMSTORE1".utf8)
    static let version: UInt32 = 1

    static func encode(dimension: Int, modelID: String) -> [UInt8] {
        var b = magic
        b.appendLE(version)
        b.appendLE(UInt32(dimension))
        let m = Array(modelID.utf8)
        b.appendLE(UInt16(m.count))
        b.append(contentsOf: m)
        b.appendLE(XXHash64.hash(b))
        return b
    }

    static func decode(_ b: [UInt8], file: String) throws(StoreError) -> (dimension: Int, modelID: String) {
        guard b.count >= 26 else { throw .corruptHeader(file: file, reason: "file has \(b.count) bytes") }
        return try b.withBytes { (raw) throws(StoreError) -> (Int, String) in
            let p = raw.baseAddress!
            guard Array(b[0..<8]) == magic else { throw .corruptHeader(file: file, reason: "bad magic") }
            let v: UInt32 = p.le(8)
            guard v == version else { throw .corruptHeader(file: file, reason: "format version \(v), supported \(version)") }
            let n = Int(p.le(16, as: UInt16.self))
            guard (1...128).contains(n), b.count == 26 + n else { throw .corruptHeader(file: file, reason: "model id length \(n)") }
            guard XXHash64.hash(base: p, count: 18 + n, seed: 0) == p.le(18 + n, as: UInt64.self) else {
                throw .corruptHeader(file: file, reason: "header checksum mismatch")
            }
            return (Int(p.le(12, as: UInt32.self)), String(decoding: b[18..<(18 + n)], as: UTF8.self))
        }
    }
}
