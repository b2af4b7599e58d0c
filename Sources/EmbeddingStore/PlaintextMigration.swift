/// Encrypts a namespace written before encryption at rest (slab format version 1, whose vectors
/// are plaintext in the file): its intact live templates are copied into a new, sealed generation,
/// then the old log and slab are overwritten with zeros and unlinked. Runs when such a namespace
/// is opened with a master key. A crash before the new log is renamed into place leaves the old
/// generation (and the migration runs again); after it, the old files are leftovers that the
/// next open overwrites.
enum PlaintextMigration {
    /// The slab format version of the file, nil when it has no readable header.
    static func slabVersion(_ path: String, io: any FileIO) throws(StoreError) -> UInt32? {
        let fd = try io.openFile(path, create: false)
        defer { io.close(fd) }
        var b = [UInt8](repeating: 0, count: 12)
        let n = try b.withMutableBytes { (raw) throws(StoreError) -> Int in try io.read(fd, into: raw, at: 0, path: path) }
        guard n == 12, Array(b[0..<8]) == SlabFormat.magic else { return nil }
        return b.withUnsafeBytes { UnsafeRawPointer($0.baseAddress!).le(8, as: UInt32.self) }
    }

    /// The live, intact templates of a plaintext generation, in slot order, and how many were damaged.
    static func templates(logPath: String, slabPath: String, dimension: Int, modelID: String,
                          io: any FileIO) throws(StoreError) -> (items: [Segment.Item], damaged: Int) {
        let logFD = try io.openFile(logPath, create: false)
        defer { io.close(logFD) }
        let slabFD = try io.openFile(slabPath, create: false)
        defer { io.close(slabFD) }
        let logSize = try io.size(logFD, path: logPath), slabSize = try io.size(slabFD, path: slabPath)
        let log = try MappedFile(fd: logFD, reservedBytes: max(logSize, 1), path: logPath)
        let slab = try MappedFile(fd: slabFD, reservedBytes: max(slabSize, 1), path: slabPath)
        let header = try LogFormat.decodeHeader(log.base, count: logSize, file: logPath)
        guard header.dimension == dimension else { throw .dimensionMismatch(expected: dimension, found: header.dimension) }
        guard header.modelID == modelID else { throw .modelMismatch(expected: modelID, found: header.modelID) }
        let format = SlabFormat(dimension: dimension)

        // Replays whole batches (a batch ends with its commit record); a torn tail is ignored.
        var live: [Int: (LogFormat.TemplateView, UInt64)] = [:]
        var batch: [(LogFormat.ParsedBody, UInt64)] = []
        var offset = LogFormat.headerSize
        while offset + LogFormat.unit <= logSize {
            guard let (common, body, n) = LogFormat.parse(log.base, end: logSize, offset: offset, salt: header.salt) else {
                offset += LogFormat.unit
                continue
            }
            batch.append((body, common.seq))
            if common.commit {
                for (b, seq) in batch {
                    switch b {
                    case let .template(t): live[t.slot] = (t, seq)
                    case let .erase(entries, _): for e in entries where live[e.slot]?.1 == e.seq { live[e.slot] = nil }
                    }
                }
                batch.removeAll()
            }
            offset += n * LogFormat.unit
        }
        var items: [Segment.Item] = []
        var damaged = 0
        for slot in live.keys.sorted() {
            let t = live[slot]!.0
            let at = format.vectorOffset(slot)
            guard at + format.vectorBytes <= slabSize,
                  XXHash64.hash(base: slab.base + at, count: format.vectorBytes, seed: header.salt ^ UInt64(slot)) == t.vectorChecksum else {
                damaged += 1
                continue
            }
            let vector = Array(UnsafeBufferPointer(start: (slab.base + at).assumingMemoryBound(to: Float.self), count: dimension))
            let subject = String(decoding: UnsafeRawBufferPointer(start: log.base + t.subjectOffset, count: t.subjectCount), as: UTF8.self)
            let vendor = Array(UnsafeRawBufferPointer(start: log.base + t.vendorOffset, count: t.vendorCount))
            items.append(Segment.Item(subject: subject, vector: vector, vendorData: vendor, mode: .append, createdAtMillis: t.createdAtMillis))
        }
        return (items, damaged)
    }
}
