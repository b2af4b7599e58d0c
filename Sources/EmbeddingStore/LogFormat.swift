/// Byte layout of a namespace's record log, `log.<generation>` (all integers little-endian).
///
/// Header, 4096 bytes:
///   0   8  magic "FMSTLOG1"
///   8   4  format version (1)
///   12  4  dimension
///   16  8  generation (bumped by each compaction)
///   24  8  salt (random per generation; seeds every record and vector checksum)
///   32  2  model id length n (1...128)
///   34  n  model id, UTF-8; zero padding up to 4088
///   4088 8 XXH64 (seed 0) of bytes 0..<4088
///
/// Records follow at offset 4096. Each starts on a 64-byte boundary and is a whole number of
/// 64-byte units long (zero padded):
///   0   8  checksum: XXH64 of bytes 8..<length, seed = salt ^ (file offset of the record)
///   8   4  marker "FMRC"
///   12  2  length in 64-byte units
///   14  1  kind: 1 = template, 2 = erase
///   15  1  flags: bit 0 = commit (last record of its batch)
///   16  8  sequence number (0, 1, 2, ... across the whole log)
///   24  8  sequence number of the first record of this record's batch
///   32  4  template: slot in the vector slab     | erase: number of entries e
///   36  1  template: subject length s (1...128)  | erase: 36 4 slots allocated so far
///   37  1  reserved
///   38  2  template: vendor_data length v (0...256)
///   40  8  template: created-at, ms since 1970 (signed)
///   48  8  template: XXH64 of the slot's padded vector bytes in the slab, seed = salt ^ slot
///   56  s  template: subject id, then v bytes vendor_data
///   40  24*e erase: entries (seq u64, record offset u64, slot u32, record units u16, 2 reserved)
///
/// A batch is written with one pwrite and made durable with one fdatasync; the next batch starts
/// only after that, so a valid record of batch B proves every batch before B was complete.
/// Erasing a template overwrites its whole record (and its slab slot) with zeros after an erase
/// record naming it is durable; zeroed units are therefore expected, not damage.
enum LogFormat {
    static let headerSize = 4096
    static let unit = 64
    static let version: UInt32 = 1
    static let magic: [UInt8] = Array("FMSTLOG1".utf8)
    static let marker: UInt32 = 0x4352_4D46  // "FMRC"
    static let kindTemplate: UInt8 = 1
    static let kindErase: UInt8 = 2
    static let templateFixedBytes = 56
    static let eraseFixedBytes = 40
    static let eraseEntryBytes = 24
    static let maxSubjectBytes = 128
    static let maxVendorBytes = 256

    struct Header: Equatable {
        var dimension: Int
        var generation: UInt64
        var salt: UInt64
        var modelID: String
    }

    static func encodeHeader(_ h: Header) -> [UInt8] {
        var b = magic
        b.appendLE(version)
        b.appendLE(UInt32(h.dimension))
        b.appendLE(h.generation)
        b.appendLE(h.salt)
        let model = Array(h.modelID.utf8)
        b.appendLE(UInt16(model.count))
        b.append(contentsOf: model)
        b.padTo(headerSize - 8)
        b.appendLE(XXHash64.hash(b))
        return b
    }

    static func decodeHeader(_ p: UnsafeRawPointer, count: Int, file: String) throws(StoreError) -> Header {
        guard count >= headerSize else { throw .corruptHeader(file: file, reason: "file has \(count) bytes, header needs \(headerSize)") }
        let stored: UInt64 = p.le(headerSize - 8)
        guard XXHash64.hash(base: p, count: headerSize - 8, seed: 0) == stored else {
            throw .corruptHeader(file: file, reason: "header checksum mismatch")
        }
        guard Array(UnsafeRawBufferPointer(start: p, count: 8)) == magic else { throw .corruptHeader(file: file, reason: "bad magic") }
        let v: UInt32 = p.le(8)
        guard v == version else { throw .corruptHeader(file: file, reason: "format version \(v), supported \(version)") }
        let n = Int(p.le(32, as: UInt16.self))
        guard (1...128).contains(n) else { throw .corruptHeader(file: file, reason: "model id length \(n)") }
        let model = String(decoding: UnsafeRawBufferPointer(start: p + 34, count: n), as: UTF8.self)
        return Header(dimension: Int(p.le(12, as: UInt32.self)), generation: p.le(16), salt: p.le(24), modelID: model)
    }

    struct Common: Equatable {
        var seq: UInt64
        var batchFirstSeq: UInt64
        var commit: Bool
    }

    struct TemplateRecord: Equatable {
        var slot: Int
        var subject: [UInt8]
        var vendorData: [UInt8]
        var createdAtMillis: Int64
        var vectorChecksum: UInt64
    }

    struct EraseEntry: Equatable {
        var seq: UInt64
        var offset: Int
        var slot: Int
        var units: Int
    }

    enum Body: Equatable {
        case template(TemplateRecord)
        case erase(entries: [EraseEntry], slotsAllocated: Int)
    }

    /// A parsed template record that points into the mapped log instead of copying its bytes.
    struct TemplateView: Equatable {
        var slot: Int
        /// Absolute file offsets of the subject and vendor bytes.
        var subjectOffset: Int
        var subjectCount: Int
        var vendorOffset: Int
        var vendorCount: Int
        var createdAtMillis: Int64
        var vectorChecksum: UInt64
    }

    enum ParsedBody: Equatable {
        case template(TemplateView)
        case erase(entries: [EraseEntry], slotsAllocated: Int)
    }

    static func units(forPayload bytes: Int) -> Int { (bytes + unit - 1) / unit }

    /// Encodes one record for file offset `offset` and appends it to `out`.
    static func append(_ body: Body, common: Common, offset: Int, salt: UInt64, to out: inout [UInt8]) {
        var r: [UInt8] = []
        r.appendLE(UInt64(0))
        r.appendLE(marker)
        r.appendLE(UInt16(0))
        switch body {
        case .template: r.append(kindTemplate)
        case .erase: r.append(kindErase)
        }
        r.append(common.commit ? 1 : 0)
        r.appendLE(common.seq)
        r.appendLE(common.batchFirstSeq)
        switch body {
        case let .template(t):
            r.appendLE(UInt32(t.slot))
            r.append(UInt8(t.subject.count))
            r.append(0)
            r.appendLE(UInt16(t.vendorData.count))
            r.appendLE(t.createdAtMillis)
            r.appendLE(t.vectorChecksum)
            r.append(contentsOf: t.subject)
            r.append(contentsOf: t.vendorData)
        case let .erase(entries, allocated):
            r.appendLE(UInt32(entries.count))
            r.appendLE(UInt32(allocated))
            for e in entries {
                r.appendLE(e.seq)
                r.appendLE(UInt64(e.offset))
                r.appendLE(UInt32(e.slot))
                r.appendLE(UInt16(e.units))
                r.appendLE(UInt16(0))
            }
        }
        let n = units(forPayload: r.count)
        r.padTo(n * unit)
        r.setLE(UInt16(n), at: 12)
        let sum = r.withUnsafeBytes { XXHash64.hash(base: $0.baseAddress! + 8, count: r.count - 8, seed: salt ^ UInt64(offset)) }
        r.setLE(sum, at: 0)
        out.append(contentsOf: r)
    }

    /// Parses the record at `offset` if it is complete and its checksum holds; nil otherwise.
    static func parse(_ base: UnsafeRawPointer, end: Int, offset: Int, salt: UInt64) -> (Common, ParsedBody, units: Int)? {
        guard let (common, n) = check(base, end: end, offset: offset, salt: salt),
              let body = body(base, offset: offset, units: n) else { return nil }
        return (common, body, n)
    }

    /// Validates framing and checksum of the record at `offset`; returns its common fields and length.
    static func check(_ base: UnsafeRawPointer, end: Int, offset: Int, salt: UInt64) -> (Common, units: Int)? {
        guard offset + unit <= end else { return nil }
        let p = base + offset
        guard p.le(8, as: UInt32.self) == marker else { return nil }
        let n = Int(p.le(12, as: UInt16.self))
        guard n >= 1, offset + n * unit <= end else { return nil }
        let stored: UInt64 = p.le(0)
        guard XXHash64.hash(base: p + 8, count: n * unit - 8, seed: salt ^ UInt64(offset)) == stored else { return nil }
        return (Common(seq: p.le(16), batchFirstSeq: p.le(24), commit: p.load(fromByteOffset: 15, as: UInt8.self) & 1 == 1), n)
    }

    /// Decodes the body of a record already validated by `check`; nil if its fields are inconsistent.
    static func body(_ base: UnsafeRawPointer, offset: Int, units n: Int) -> ParsedBody? {
        let p = base + offset
        let length = n * unit
        switch p.load(fromByteOffset: 14, as: UInt8.self) {
        case kindTemplate:
            let s = Int(p.load(fromByteOffset: 36, as: UInt8.self))
            let v = Int(p.le(38, as: UInt16.self))
            guard (1...maxSubjectBytes).contains(s), v <= maxVendorBytes, templateFixedBytes + s + v <= length else { return nil }
            return .template(TemplateView(
                slot: Int(p.le(32, as: UInt32.self)),
                subjectOffset: offset + templateFixedBytes, subjectCount: s,
                vendorOffset: offset + templateFixedBytes + s, vendorCount: v,
                createdAtMillis: p.le(40), vectorChecksum: p.le(48)))
        case kindErase:
            let count = Int(p.le(32, as: UInt32.self))
            guard eraseFixedBytes + count * eraseEntryBytes <= length else { return nil }
            var entries: [EraseEntry] = []
            entries.reserveCapacity(count)
            for i in 0..<count {
                let e = p + eraseFixedBytes + i * eraseEntryBytes
                entries.append(EraseEntry(seq: e.le(0), offset: Int(e.le(8, as: UInt64.self)),
                                          slot: Int(e.le(16, as: UInt32.self)), units: Int(e.le(20, as: UInt16.self))))
            }
            return .erase(entries: entries, slotsAllocated: Int(p.le(36, as: UInt32.self)))
        default:
            return nil
        }
    }
}
