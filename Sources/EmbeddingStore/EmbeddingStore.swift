import TemplateCrypto
import struct Synchronization.Mutex

/// The enrolment store: face templates (Float32 vectors of a fixed dimension from one model) per
/// subject, per namespace, in crash-safe memory-mapped files, with exact 1:N search.
///
/// API (all methods are thread-safe; any number of readers run alongside one writer per namespace):
/// - `EmbeddingStore.open(directory:dimension:modelID:options:)` opens or creates a store; a store
///   made for another dimension or model id is refused with `dimensionMismatch`/`modelMismatch`.
/// - `enroll(namespace:subject:vector:vendorData:mode:)` and `enroll(namespace:batch:)` return
///   only once the templates are durable (fdatasync). `.append` erases the oldest template when the
///   subject already holds `maxTemplatesPerSubject`; `.replace` erases all of the subject's others.
/// - `templates(namespace:subject:)`, `delete(namespace:subject:) -> Bool` (returns after the
///   template bytes and vendor_data are overwritten with zeros and synced),
///   `stats(namespace:)`/`stats()`, `listSubjects(namespace:after:limit:)`, `namespaces()`.
/// - `verify(namespace:subject:vector:) -> Float?`: the smallest distance between `vector` and the
///   subject's templates, nil when the subject has none.
/// - `search(namespace:vector:topK:maxDistance:) -> [SearchHit]`: the `topK` distinct subjects
///   with the smallest distance, at most `maxDistance`, closest first (ties by enrolment order).
/// - `integrityCheck()`, `recoveryReports()`, `compact(namespace:)`.
/// - `eraseTemplates(namespace:createdBefore:)` (retention), `rotateMasterKey(to:)`.
///
/// At rest: every vector is AES-256-GCM ciphertext under its subject's data key; data keys live in
/// each namespace's `keys` file wrapped by `options.masterKey` (see SlabFormat, SubjectKeys).
/// Plaintext vectors exist only in anonymous memory, decrypted at open.
///
/// Similarity: every distance is an L2 distance computed in Float32, between the vectors as
/// enrolled or scaled to unit length (`StoreOptions.metric`; the service compares by direction);
/// smaller is more similar. Callers map a distance to a score themselves; a minimum-score filter
/// is a `maxDistance` filter.
/// Search is exact: an int8 sketch pre-filter with proven error bounds feeds an exact Float32
/// re-rank, returning what `exhaustiveSearch` (a full Float32 scan) returns.
///
/// Limits: damage to the last batch of a log looks like a torn write and is trimmed (reported as
/// `trimmedTailBytes`); a log cut exactly at a batch boundary is indistinguishable from a store
/// that never had those batches. Damage to a search sketch can hide a template from `search`
/// until `integrityCheck()` quarantines it; damaged vectors and records are never served.
/// Each namespace reserves virtual address space for `maxSlotsPerNamespace` slots up front.
public final class EmbeddingStore: Sendable {
    public let directory: String
    public let dimension: Int
    public let modelID: String
    let options: StoreOptions
    private let spaces: Mutex<[String: NamespaceStore]>
    /// The master key new namespaces are created under (changes with `rotateMasterKey`).
    let masterKey: Mutex<MasterKey>

    private init(directory: String, dimension: Int, modelID: String, options: StoreOptions, spaces: [String: NamespaceStore]) {
        self.directory = directory
        self.dimension = dimension
        self.modelID = modelID
        self.options = options
        self.spaces = Mutex(spaces)
        masterKey = Mutex(options.masterKey!)
    }

    public static func open(directory: String, dimension: Int = 128, modelID: String,
                            options: StoreOptions) throws(StoreError) -> EmbeddingStore {
        guard (1...4096).contains(dimension) else { throw .invalidDimension(dimension) }
        guard (1...128).contains(modelID.utf8.count) else { throw .invalidModelID(byteCount: modelID.utf8.count) }
        guard let masterKey = options.masterKey else { throw .masterKeyRequired }
        let io = options.fileIO
        try io.makeDirectory(directory)
        let headerPath = directory + "/STORE"
        if let existing = try readSmallFile(headerPath, io: io) {
            let (d, m) = try StoreHeader.decode(existing, file: headerPath)
            guard d == dimension else { throw .dimensionMismatch(expected: dimension, found: d) }
            guard m == modelID else { throw .modelMismatch(expected: modelID, found: m) }
        } else {
            let tmp = headerPath + ".tmp"
            let fd = try io.openFile(tmp, create: true)
            do throws(StoreError) {
                try io.truncate(fd, to: 0, path: tmp)
                try StoreHeader.encode(dimension: dimension, modelID: modelID).withBytes { (b) throws(StoreError) in
                    try io.write(fd, b, at: 0, path: tmp)
                }
                try io.sync(fd, path: tmp)
                io.close(fd)
            } catch {
                io.close(fd)
                throw error
            }
            try io.rename(tmp, to: headerPath)
            try io.syncDirectory(directory)
        }
        let nsRoot = directory + "/namespaces"
        try io.makeDirectory(nsRoot)
        try io.syncDirectory(directory)
        try MasterKeyRotation.finishOrUndo(directory: directory, io: io)
        var spaces: [String: NamespaceStore] = [:]
        for name in try io.listDirectory(nsRoot) where isValidNamespace(name) {
            if let ns = try NamespaceStore.open(name: name, directory: nsRoot + "/" + name, dimension: dimension,
                                                modelID: modelID, masterKey: masterKey, options: options, create: false) {
                spaces[name] = ns
            }
        }
        return EmbeddingStore(directory: directory, dimension: dimension, modelID: modelID, options: options, spaces: spaces)
    }

    /// Opens a store that already exists with the dimension and model id its STORE file records,
    /// for tools that check or compact a store without knowing its model. Never creates one.
    public static func openExisting(directory: String, options: StoreOptions) throws(StoreError) -> EmbeddingStore {
        let headerPath = directory + "/STORE"
        guard let existing = try readSmallFile(headerPath, io: options.fileIO) else { throw .notAStore(directory: directory) }
        let (dimension, modelID) = try StoreHeader.decode(existing, file: headerPath)
        return try open(directory: directory, dimension: dimension, modelID: modelID, options: options)
    }

    private static func readSmallFile(_ path: String, io: any FileIO) throws(StoreError) -> [UInt8]? {
        let fd: Int32
        do throws(StoreError) { fd = try io.openFile(path, create: false) } catch {
            if case let .io(_, _, e) = error, e == 2 { return nil }
            throw error
        }
        defer { io.close(fd) }
        var b = [UInt8](repeating: 0, count: 512)
        let n = try b.withMutableBytes { (raw) throws(StoreError) -> Int in try io.read(fd, into: raw, at: 0, path: path) }
        return Array(b[0..<n])
    }

    static func isValidNamespace(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count), bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { b in
            (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 46 || b == 95 || b == 45
        }
    }

    /// The namespace, created on first write; nil for reads of a namespace never written.
    func namespace(_ name: String, create: Bool) throws(StoreError) -> NamespaceStore? {
        guard Self.isValidNamespace(name) else { throw .invalidNamespace(name) }
        return try spaces.withLock { (spaces) throws(StoreError) -> NamespaceStore? in
            if let ns = spaces[name] { return ns }
            guard create else { return nil }
            let root = directory + "/namespaces"
            let ns = try NamespaceStore.open(name: name, directory: root + "/" + name, dimension: dimension,
                                             modelID: modelID, masterKey: masterKey.withLock { $0 }, options: options, create: true)
            try options.fileIO.syncDirectory(root)
            spaces[name] = ns
            return ns
        }
    }

    public func namespaces() -> [String] { spaces.withLock { $0.keys.sorted() } }

    func allNamespaces() -> [(String, NamespaceStore)] { spaces.withLock { all in all.sorted { $0.key < $1.key } } }

    /// What opening each namespace found (trimmed tails, lost records, completed erasures).
    public func recoveryReports() -> [String: RecoveryReport] {
        Dictionary(uniqueKeysWithValues: allNamespaces().map { ($0.0, $0.1.recovery) })
    }
}
