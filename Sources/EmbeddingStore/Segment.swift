import Atomics
import TemplateCrypto

/// Where a template's log record lives, plus what searches need without touching the log.
struct SlotInfo {
    var recordOffset: Int64
    var seq: UInt64
    var vectorChecksum: UInt64
    var subject: UInt32
    var units: UInt16
}

/// One generation of a namespace: its log and sealed slab files, the log's map, the plaintext slab
/// in anonymous memory (decrypted at open, see SlabFormat), the per-slot tables and the subject index.
///
/// Concurrency: one writer (serialised by the namespace's write lock) appends beyond
/// `committedSlots` and publishes with a releasing store; readers load it acquiring and only
/// touch slots below it. Slots are never reused within a generation. Erasure sets the slot's
/// tombstone bit before zeroing its bytes, and readers check the bit after reading (behind an
/// acquire fence), so a half-zeroed template is never served. The subject index and the damage
/// found so far live in `catalog`; the writer-only fields are guarded by the namespace's writer lock.
final class Segment: @unchecked Sendable {

    let directory: String
    let generation: UInt64
    let salt: UInt64
    let modelID: String
    let format: SlabFormat
    let metric: StoreMetric
    let logPath: String
    let slabPath: String
    let logFD: Int32
    let slabFD: Int32
    let logMap: MappedFile
    /// The sealed slab file, read-only (decryption at open, erasure and integrity checks).
    let diskMap: MappedFile
    /// The plaintext slab: anonymous memory in the memory layout of SlabFormat.
    private let plain: AnonymousArray<UInt8>
    let namespace: String
    /// The namespace's data keys (shared by its generations; writes under the writer lock).
    let keys: SubjectKeys
    let io: any FileIO
    let maxSlots: Int
    let slots: AnonymousArray<SlotInfo>
    private let tombstoneWords: AnonymousArray<UnsafeAtomic<UInt64>.Storage>
    let committedSlots = ManagedAtomic<Int>(0)
    /// File sizes published by the writer for readers (stats, integrity check).
    let publishedLogEnd = ManagedAtomic<Int>(0)
    let publishedSlabSize = ManagedAtomic<Int>(0)

    let catalog = CatalogLock(Catalog())

    // Writer-only state.
    var logEnd: Int
    var nextSeq: UInt64 = 0
    /// Size of the sealed slab file.
    var slabFileSize: Int
    var pendingErasures: [LogFormat.EraseEntry] = []
    var pendingKeyDestructions: [String] = []
    /// Data keys a replacement superseded whose destruction failed (`SubjectKeys.destroy(refs:)`).
    var pendingStaleKeys: [Int] = []

    init(directory: String, generation: UInt64, salt: UInt64, modelID: String, format: SlabFormat, metric: StoreMetric,
         logPath: String, slabPath: String, logFD: Int32, slabFD: Int32, logSize: Int, slabSize: Int,
         io: any FileIO, maxSlots: Int, namespace: String, keys: SubjectKeys) throws(StoreError) {
        self.directory = directory
        self.generation = generation
        self.salt = salt
        self.modelID = modelID
        self.format = format
        self.metric = metric
        self.logPath = logPath
        self.slabPath = slabPath
        self.logFD = logFD
        self.slabFD = slabFD
        self.io = io
        self.maxSlots = maxSlots
        logMap = try MappedFile(fd: logFD, reservedBytes: Segment.logReservation(maxSlots: maxSlots), path: logPath)
        diskMap = try MappedFile(fd: slabFD, reservedBytes: format.diskSize(forSlots: maxSlots), path: slabPath)
        plain = try AnonymousArray(capacity: format.memorySize(forSlots: maxSlots), excludeFromCoreDumps: true)
        self.namespace = namespace
        self.keys = keys
        slots = try AnonymousArray(capacity: maxSlots)
        tombstoneWords = try AnonymousArray(capacity: (maxSlots + 63) / 64)
        logEnd = logSize
        slabFileSize = slabSize
    }

    deinit {
        io.close(logFD)
        io.close(slabFD)
    }

    /// Largest template record plus an erase entry per template, per slot.
    static func logReservation(maxSlots: Int) -> Int {
        LogFormat.headerSize + maxSlots * (LogFormat.templateFixedBytes + 128 + 256 + LogFormat.eraseEntryBytes + 2 * LogFormat.unit)
    }

    var dimension: Int { format.dimension }

    /// Base of the plaintext slab in memory.
    var slabBase: UnsafeMutableRawPointer { UnsafeMutableRawPointer(plain.pointer) }

    /// Slots wholly inside the sealed slab file.
    var diskSlots: Int { format.slots(inDiskSize: slabFileSize) }

    @inline(__always) func isTombstoned(_ slot: Int) -> Bool {
        let word = UnsafeAtomic<UInt64>(at: tombstoneWords.pointer + slot >> 6)
        return word.load(ordering: .acquiring) & (1 << UInt64(slot & 63)) != 0
    }

    /// Ordered before the caller's later zeroing writes by the releasing read-modify-write.
    func setTombstone(_ slot: Int) {
        let word = UnsafeAtomic<UInt64>(at: tombstoneWords.pointer + slot >> 6)
        _ = word.loadThenBitwiseOr(with: 1 << UInt64(slot & 63), ordering: .sequentiallyConsistent)
    }

    /// Writes the slot's aux (scale, norm2, inverse norm, reserved zero) and int8 sketch, derived
    /// from `vector`.
    func storeSketch(of vector: UnsafeBufferPointer<Float>, at slot: Int) {
        let raw = Quantizer.sketch(vector, padded: format.padded, into: slabBase + format.sketchOffset(slot))
        let aux = sketchAux(of: vector, raw: raw)
        let p = slabBase + format.auxOffset(slot)
        p.storeBytes(of: aux.scale, as: Float.self)
        p.storeBytes(of: aux.norm2, toByteOffset: 4, as: Float.self)
        p.storeBytes(of: aux.inverseNorm, toByteOffset: 8, as: Float.self)
        p.storeBytes(of: UInt32(0), toByteOffset: 12, as: UInt32.self)
    }

    /// The aux values of `vector` from its raw sketch. Angular: the codes of v and of v/|v| are the
    /// same, so only the scale shrinks by 1/|v| (and norm2 by its square), and 1/|v| is kept for
    /// the exact distance. Euclidean: the inverse norm stays zero, as the format's reserved bytes.
    func sketchAux(of vector: UnsafeBufferPointer<Float>, raw: (scale: Float, norm2: Float))
        -> (scale: Float, norm2: Float, inverseNorm: Float) {
        guard metric == .angular else { return (raw.scale, raw.norm2, 0) }
        var sum: Float = 0
        for x in vector { sum += x * x }
        let inverse: Float = sum > 0 ? 1 / sum.squareRoot() : 0
        return (raw.scale * inverse, raw.norm2 * inverse * inverse, inverse)
    }

    /// The exact distance between the prepared query and the slot's vector (see `StoreMetric`).
    @inline(__always) func exactDistance(_ query: UnsafeRawPointer, slot: Int, blocks: Int) -> Float {
        let vector = slabBase + format.vectorOffset(slot)
        switch metric {
        case .euclidean:
            return DistanceKernels.squaredL2(query, vector, blocks: blocks).squareRoot()
        case .angular:
            // The query is already unit length (SearchQuery); the vector's 1/|v| is in its aux.
            let inverse = (slabBase + format.auxOffset(slot)).load(fromByteOffset: 8, as: Float.self)
            return DistanceKernels.squaredL2(query, vector, scaledBy: inverse, blocks: blocks).squareRoot()
        }
    }

    /// Reads the slot's Float32 vector and checks it against its checksum. Returns nil when the
    /// slot is erased (now or during the read) or damaged; damage is recorded.
    func intactVector(_ slot: Int) -> [Float]? {
        let info = slots.pointer[slot]
        let p = slabBase + format.vectorOffset(slot)
        let vector = Array(UnsafeBufferPointer(start: p.assumingMemoryBound(to: Float.self), count: format.padded))
        let ok = vector.withUnsafeBytes { XXHash64.hash($0, seed: salt ^ UInt64(slot)) } == info.vectorChecksum
        atomicMemoryFence(ordering: .acquiring)
        if isTombstoned(slot) { return nil }
        if !ok { quarantine(slot); return nil }
        return Array(vector[0..<dimension])
    }

    /// Checks the slot's vector checksum in place without copying.
    func vectorIsIntact(_ slot: Int) -> Bool {
        let p = slabBase + format.vectorOffset(slot)
        return XXHash64.hash(base: p, count: format.vectorBytes, seed: salt ^ UInt64(slot)) == slots.pointer[slot].vectorChecksum
    }

    /// Marks a slot as damaged: never served again, reported by stats and the integrity check.
    func quarantine(_ slot: Int) {
        setTombstone(slot)
        let subject = slots.pointer[slot].subject
        catalog.withLock { c in
            c.damagedSlots.insert(slot)
            if let name = c.index.name(ofNumber: subject) { c.index.remove(slot: slot, from: name) }
        }
    }

    /// The template at `slot` if its record and vector are intact.
    func template(at slot: Int) -> Template? {
        let info = slots.pointer[slot]
        guard let parsed = LogFormat.parse(logMap.base, end: Int(info.recordOffset) + Int(info.units) * LogFormat.unit,
                                           offset: Int(info.recordOffset), salt: salt),
              case let .template(view) = parsed.1 else {
            atomicMemoryFence(ordering: .acquiring)
            if !isTombstoned(slot) { quarantine(slot) }
            return nil
        }
        let vendor = Array(UnsafeRawBufferPointer(start: logMap.base + view.vendorOffset, count: view.vendorCount))
        guard let vector = intactVector(slot) else { return nil }
        return Template(vector: vector, modelID: modelID, createdAtMillis: view.createdAtMillis, vendorData: vendor)
    }

    /// The created-at stamp in the slot's log record, nil when the record is damaged.
    func createdAt(_ slot: Int) -> Int64? {
        let info = slots.pointer[slot]
        guard let parsed = LogFormat.parse(logMap.base, end: Int(info.recordOffset) + Int(info.units) * LogFormat.unit,
                                           offset: Int(info.recordOffset), salt: salt),
              case let .template(view) = parsed.1 else { return nil }
        return view.createdAtMillis
    }

    func publishSizes() {
        publishedSlabSize.store(slabFileSize, ordering: .releasing)
        publishedLogEnd.store(logEnd, ordering: .releasing)
    }

    var fileBytes: Int { publishedLogEnd.load(ordering: .acquiring) + publishedSlabSize.load(ordering: .acquiring) }
}
