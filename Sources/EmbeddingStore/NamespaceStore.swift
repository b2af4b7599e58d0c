import Atomics
import TemplateCrypto
import struct Synchronization.Mutex

/// One namespace: a directory holding generation files `log.<g>` and `slab.<g>` and the data keys
/// (`keys`, see SubjectKeys). The highest generation whose log exists is current (its slab is
/// renamed into place first). Files a generation leaves behind are overwritten with zeros before
/// they are unlinked, so no old ciphertext outlives them on disk. Writers are
/// serialised by `writer` (which holds whether a failed write left the namespace needing a
/// reopen); readers take the current segment and never block on writers.
final class NamespaceStore: @unchecked Sendable {
    let name: String
    let directory: String
    let dimension: Int
    let modelID: String
    let options: StoreOptions
    /// Whether a failed write poisoned the namespace (it then needs a reopen).
    private let writer = Mutex(false)
    private let current: Mutex<Segment>
    private(set) var recovery: RecoveryReport
    let keys: SubjectKeys

    private init(name: String, directory: String, dimension: Int, modelID: String, options: StoreOptions,
                 segment: Segment, recovery: RecoveryReport, keys: SubjectKeys) {
        self.keys = keys
        self.name = name
        self.directory = directory
        self.dimension = dimension
        self.modelID = modelID
        self.options = options
        current = Mutex(segment)
        self.recovery = recovery
    }

    var segment: Segment { current.withLock { $0 } }

    static func logName(_ g: UInt64) -> String { "log.\(g)" }
    static func slabName(_ g: UInt64) -> String { "slab.\(g)" }

    /// Opens an existing namespace directory, or creates it when `create` is set.
    static func open(name: String, directory: String, dimension: Int, modelID: String, masterKey: MasterKey,
                     options: StoreOptions, create: Bool) throws(StoreError) -> NamespaceStore? {
        let io = options.fileIO
        let files = (try? io.listDirectory(directory)) ?? []
        let generations = files.compactMap { f -> UInt64? in f.hasPrefix("log.") ? UInt64(f.dropFirst(4)) : nil }
        var g: UInt64
        if let top = generations.max() {
            g = top
        } else {
            guard create else { return nil }
            try io.makeDirectory(directory)
            try createGeneration(directory: directory, generation: 1, dimension: dimension, modelID: modelID, io: io)
            g = 1
        }
        let keys = try SubjectKeys.open(directory: directory, namespace: name, masterKey: masterKey, io: io)
        var migrated = 0
        if try PlaintextMigration.slabVersion(directory + "/" + slabName(g), io: io) == SlabFormat.plaintextVersion {
            let (items, _) = try PlaintextMigration.templates(logPath: directory + "/" + logName(g), slabPath: directory + "/" + slabName(g),
                                                              dimension: dimension, modelID: modelID, io: io)
            try writeGeneration(g + 1, of: items, directory: directory, dimension: dimension, modelID: modelID,
                                namespace: name, keys: keys, options: options)
            migrated = items.count
            g += 1
        }
        var (segment, report) = try Segment.open(directory: directory, generation: g,
                                                 logPath: directory + "/" + logName(g), slabPath: directory + "/" + slabName(g),
                                                 dimension: dimension, modelID: modelID, metric: options.metric, io: io, maxSlots: options.maxSlotsPerNamespace,
                                                 namespace: name, keys: keys)
        report.migratedPlaintextTemplates = migrated
        report.repairedKeyPages = keys.repairedPages
        // Leftovers of an interrupted compaction or of older generations.
        for f in files where f.hasSuffix(".tmp") || (f != logName(g) && f != slabName(g) && (f.hasPrefix("log.") || f.hasPrefix("slab."))) {
            try shred(directory + "/" + f, io: io)
        }
        // Keys of subjects with no template left: a crash came between an erasure and its key's destruction.
        let orphans = segment.catalog.withLock { c in keys.subjects.filter { c.index.slots(of: $0).isEmpty } }
        try keys.destroy(orphans)
        // Keys a replacement superseded: a crash came between the fresh key and the old one's destruction.
        try keys.destroyStale(inUse: segment.keyRefsInUse)
        return NamespaceStore(name: name, directory: directory, dimension: dimension, modelID: modelID,
                              options: options, segment: segment, recovery: report, keys: keys)
    }

    /// Writes empty log and slab files for generation `g` under temporary names, syncs them,
    /// renames slab then log into place and syncs the directory.
    static func createGeneration(directory: String, generation g: UInt64, dimension: Int, modelID: String, io: any FileIO,
                                 fill: ((_ logTmp: String, _ slabTmp: String) throws(StoreError) -> Void)? = nil) throws(StoreError) {
        var salt: UInt64 = 0
        while salt == 0 { salt = UInt64.random(in: .min ... .max) }
        let logTmp = directory + "/log.tmp", slabTmp = directory + "/slab.tmp"
        for (path, bytes) in [(slabTmp, SlabFormat(dimension: dimension).encodeHeader(generation: g, salt: salt)),
                              (logTmp, LogFormat.encodeHeader(.init(dimension: dimension, generation: g, salt: salt, modelID: modelID)))] {
            let fd = try io.openFile(path, create: true)
            defer { io.close(fd) }
            try io.truncate(fd, to: 0, path: path)
            try bytes.withBytes { (b) throws(StoreError) in try io.write(fd, b, at: 0, path: path) }
            try io.sync(fd, path: path)
        }
        try fill?(logTmp, slabTmp)
        try io.rename(slabTmp, to: directory + "/" + slabName(g))
        try io.rename(logTmp, to: directory + "/" + logName(g))
        try io.syncDirectory(directory)
    }

    /// Creates generation `g` holding `items` (sealed under the namespace's data keys).
    static func writeGeneration(_ g: UInt64, of items: [Segment.Item], directory: String, dimension: Int, modelID: String,
                                namespace: String, keys: SubjectKeys, options: StoreOptions) throws(StoreError) {
        let io = options.fileIO
        try createGeneration(directory: directory, generation: g, dimension: dimension, modelID: modelID, io: io) {
            (logTmp, slabTmp) throws(StoreError) in
            let (fresh, _) = try Segment.open(directory: directory, generation: g, logPath: logTmp, slabPath: slabTmp,
                                              dimension: dimension, modelID: modelID, metric: options.metric, io: io, maxSlots: options.maxSlotsPerNamespace,
                                              namespace: namespace, keys: keys)
            var i = 0
            while i < items.count {
                let batch = Array(items[i..<min(items.count, i + 4096)])
                try fresh.appendBatch(batch, maxPerSubject: Int.max)
                i += batch.count
            }
        }
    }

    func write<T: Sendable>(_ body: (Segment) throws(StoreError) -> T) throws(StoreError) -> T {
        try writer.withLock { (poisoned) throws(StoreError) -> T in
            guard !poisoned else { throw .needsReopen(namespace: name) }
            let seg = segment
            do throws(StoreError) {
                try seg.retryPendingErasures()
                return try body(seg)
            } catch {
                if case .needsReopen = error { poisoned = true; throw .needsReopen(namespace: name) }
                throw error
            }
        }
    }

    /// Runs `body` holding the writer locks of all `spaces` (in the given order).
    static func withWriters(_ spaces: [NamespaceStore], _ body: () throws(StoreError) -> Void) throws(StoreError) {
        guard let first = spaces.first else { return try body() }
        try first.write { (_) throws(StoreError) in try withWriters(Array(spaces.dropFirst()), body) }
    }

    /// Rewrites live, intact templates into a new generation and removes the old files.
    func compact() throws(StoreError) -> CompactionReport {
        try writer.withLock { (poisoned) throws(StoreError) -> CompactionReport in
            guard !poisoned else { throw .needsReopen(namespace: name) }
            let old = segment
            let io = options.fileIO
            let live = old.catalog.withLock { $0.index.liveSlots() }
            var dropped = 0
            var items: [Segment.Item] = []
            for (subject, slot) in live {
                guard let t = old.template(at: slot) else { dropped += 1; continue }
                items.append(.init(subject: subject, vector: t.vector, vendorData: t.vendorData, mode: .append, createdAtMillis: t.createdAtMillis))
            }
            let g = old.generation + 1
            try NamespaceStore.writeGeneration(g, of: items, directory: directory, dimension: dimension, modelID: modelID,
                                               namespace: name, keys: keys, options: options)
            let (segment, _) = try Segment.open(directory: directory, generation: g,
                                                logPath: directory + "/" + NamespaceStore.logName(g),
                                                slabPath: directory + "/" + NamespaceStore.slabName(g),
                                                dimension: dimension, modelID: modelID, metric: options.metric, io: io, maxSlots: options.maxSlotsPerNamespace,
                                                namespace: name, keys: keys)
            let before = old.fileBytes
            let slotsBefore = old.committedSlots.load(ordering: .acquiring)
            current.withLock { $0 = segment }
            try shred(old.logPath, io: io)
            try shred(old.slabPath, io: io)
            try io.syncDirectory(directory)
            return CompactionReport(templatesKept: items.count, slotsReclaimed: slotsBefore - items.count,
                                    bytesBefore: before, bytesAfter: segment.fileBytes,
                                    damagedTemplatesDropped: dropped)
        }
    }
}
