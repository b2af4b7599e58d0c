import Dispatch
import TemplateCrypto
import struct Synchronization.Mutex

/// A namespace's data keys, one per subject, in the file `keys` beside the generation files (it
/// outlives compactions). Little-endian. Header, 4096 bytes:
///   0   8  magic "FMSTKEYS"
///   8   4  format version (1)
///   12  4  entries per page E (32)
///   16  16 id of the master key that wrapped every page
///   4088 8 XXH64 (seed 0) of bytes 0..<4088
/// Page p at 4096 + p * stride (stride = `WrappedKeyPage.byteCount(capacity: E)` rounded up to
/// 64): a `WrappedKeyPage` (AES-256-GCM under the master key, AAD master key id, namespace, p)
/// then zeros; an all-zero page holds no key. Key reference r = p * E + entry.
///
/// Destroying a key rewrites its page without it under a fresh nonce, in place, and syncs: the
/// old page bytes are gone from the live file. Every page write goes to `KeyPageJournal` first, so
/// a write torn by a crash is repaired at the next open. Callers hold the namespace's writer lock for every
/// method except `entry(_:)` (integrity checks; `pages` changes under `pagesLock`) and
/// `unlockedEntry(_:)` (decryption at open, before any writer exists).
final class SubjectKeys: @unchecked Sendable {
    static let fileName = "keys"
    static let headerSize = 4096
    static let version: UInt32 = 1
    static let magic: [UInt8] = Array("FMSTKEYS".utf8)
    static let perPage = 32
    static let stride = (WrappedKeyPage.byteCount(capacity: perPage) + 63) / 64 * 64

    let path: String
    let namespace: String
    let io: any FileIO
    private(set) var masterKey: MasterKey
    private var fd: Int32
    private var pages: [[WrappedKeyPage.Entry?]]
    private let pagesLock = Mutex(())
    /// Pages that failed authentication: their keys are lost and their space is never reused.
    private(set) var damagedPages: Set<Int> = []
    /// Pages that failed authentication and were put back from the journal at open.
    private(set) var repairedPages: [Int] = []
    /// Keyed by the exact UTF-8 bytes, as the subject index is.
    private var refs: [[UInt8]: Int] = [:]
    private var free: [Int] = []
    private let journal: KeyPageJournal

    private init(directory: String, namespace: String, io: any FileIO, masterKey: MasterKey, fd: Int32, pages: [[WrappedKeyPage.Entry?]]) {
        self.path = directory + "/" + Self.fileName
        journal = KeyPageJournal(directory: directory, io: io)
        self.namespace = namespace
        self.io = io
        self.masterKey = masterKey
        self.fd = fd
        self.pages = pages
    }

    deinit { io.close(fd) }

    static func encodeHeader(_ id: MasterKeyID) -> [UInt8] {
        var b = magic
        b.appendLE(version)
        b.appendLE(UInt32(perPage))
        b += id.bytes
        b.padTo(headerSize - 8)
        b.appendLE(XXHash64.hash(b))
        return b
    }

    /// Opens (or, when `create`, makes) the namespace's key file and unwraps every page.
    static func open(directory: String, namespace: String, masterKey: MasterKey, io: any FileIO) throws(StoreError) -> SubjectKeys {
        let path = directory + "/" + fileName
        if !(try io.listDirectory(directory)).contains(fileName) {
            try writeFile(directory + "/keys.tmp", header: encodeHeader(masterKey.id), pages: [], io: io)
            try io.rename(directory + "/keys.tmp", to: path)
            try io.syncDirectory(directory)
        }
        let fd = try io.openFile(path, create: false)
        let size: Int
        var header = [UInt8](repeating: 0, count: headerSize)
        do throws(StoreError) {
            size = try io.size(fd, path: path)
            let n = try header.withMutableBytes { (b) throws(StoreError) -> Int in try io.read(fd, into: b, at: 0, path: path) }
            try checkHeader(header, count: n, file: path, masterKey: masterKey)
        } catch {
            io.close(fd)
            throw error
        }
        let pageCount = max(0, size - headerSize) / stride
        var body = [UInt8](repeating: 0, count: pageCount * stride)
        do throws(StoreError) {
            _ = try body.withMutableBytes { (b) throws(StoreError) -> Int in try io.read(fd, into: b, at: headerSize, path: path) }
        } catch {
            io.close(fd)
            throw error
        }
        var opened = [[WrappedKeyPage.Entry?]?](repeating: nil, count: pageCount)
        let sealedBytes = WrappedKeyPage.byteCount(capacity: perPage)
        body.withUnsafeBytes { raw in
            opened.withUnsafeMutableBufferPointer { out in
                let lanes = min(pageCount, OpenParallelism.threads)
                let base = UnsafeSendable(out.baseAddress)
                let raw = UnsafeSendable(raw)
                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                    for p in Swift.stride(from: lane, to: pageCount, by: lanes) {
                        let page = UnsafeRawBufferPointer(rebasing: raw.value[(p * stride)..<(p * stride + sealedBytes)])
                        if page.allSatisfy({ $0 == 0 }) {
                            base.value![p] = Array(repeating: nil, count: perPage)
                        } else if let entries = try? masterKey.unwrapPage(page, namespace: namespace, page: UInt64(p)), entries.count == perPage {
                            base.value![p] = entries
                        }
                    }
                }
            }
        }
        let repaired: [Int]
        do throws(StoreError) {
            repaired = try repairTornPages(&opened, fd: fd, path: path, directory: directory, namespace: namespace, masterKey: masterKey, io: io)
        } catch {
            io.close(fd)
            throw error
        }
        let keys = SubjectKeys(directory: directory, namespace: namespace, io: io, masterKey: masterKey, fd: fd,
                               pages: opened.map { $0 ?? Array(repeating: nil, count: perPage) })
        keys.repairedPages = repaired
        for (p, page) in opened.enumerated() {
            guard let page else { keys.damagedPages.insert(p); continue }
            for (i, entry) in page.enumerated() {
                if let entry { keys.refs[Array(entry.subject.utf8)] = p * perPage + i } else { keys.free.append(p * perPage + i) }
            }
        }
        keys.free.reverse()
        return keys
    }

    /// Puts back, from the journal, pages that fail authentication or lie past the file's end: a
    /// crash tore their last write, whose images the journal holds (synced before it began).
    private static func repairTornPages(_ opened: inout [[WrappedKeyPage.Entry?]?], fd: Int32, path: String, directory: String,
                                        namespace: String, masterKey: MasterKey, io: any FileIO) throws(StoreError) -> [Int] {
        let sealedBytes = WrappedKeyPage.byteCount(capacity: perPage)
        var repaired: [Int] = []
        for (p, bytes) in KeyPageJournal.images(directory: directory, io: io, stride: stride).sorted(by: { $0.key < $1.key })
        where p >= opened.count || opened[p] == nil {
            // A page whose last key was destroyed is written as zeros: an empty page, as at open.
            guard let entries = bytes.withUnsafeBytes({ raw -> [WrappedKeyPage.Entry?]? in
                let sealed = UnsafeRawBufferPointer(rebasing: raw[0..<sealedBytes])
                if sealed.allSatisfy({ $0 == 0 }) { return Array(repeating: nil, count: perPage) }
                return try? masterKey.unwrapPage(sealed, namespace: namespace, page: UInt64(p))
            }), entries.count == perPage else { continue }
            while opened.count <= p { opened.append(Array(repeating: nil, count: perPage)) }
            opened[p] = entries
            try bytes.withBytes { (b) throws(StoreError) in try io.write(fd, b, at: headerSize + p * stride, path: path) }
            repaired.append(p)
        }
        if !repaired.isEmpty { try io.sync(fd, path: path) }
        return repaired
    }

    static func checkHeader(_ b: [UInt8], count: Int, file: String, masterKey: MasterKey) throws(StoreError) {
        guard count == headerSize else { throw .corruptHeader(file: file, reason: "file has \(count) bytes, header needs \(headerSize)") }
        guard XXHash64.hash(Array(b[0..<(headerSize - 8)])) == b.withUnsafeBytes({ UnsafeRawPointer($0.baseAddress!).le(headerSize - 8, as: UInt64.self) }) else {
            throw .corruptHeader(file: file, reason: "header checksum mismatch")
        }
        guard Array(b[0..<8]) == magic else { throw .corruptHeader(file: file, reason: "bad magic") }
        let (v, e): (UInt32, UInt32) = b.withUnsafeBytes { (UnsafeRawPointer($0.baseAddress!).le(8), UnsafeRawPointer($0.baseAddress!).le(12)) }
        guard v == version else { throw .corruptHeader(file: file, reason: "format version \(v), supported \(version)") }
        guard e == perPage else { throw .corruptHeader(file: file, reason: "\(e) keys per page") }
        let found = MasterKeyID(bytes: Array(b[16..<32]))!
        guard found == masterKey.id else { throw .wrongMasterKey(file: file, expected: masterKey.id.description, found: found.description) }
    }

    /// Writes a complete key file (header and sealed pages) and syncs it.
    private static func writeFile(_ path: String, header: [UInt8], pages: [[UInt8]], io: any FileIO) throws(StoreError) {
        let fd = try io.openFile(path, create: true)
        defer { io.close(fd) }
        try io.truncate(fd, to: 0, path: path)
        var bytes = header
        bytes.reserveCapacity(headerSize + pages.count * stride)
        for page in pages {
            bytes += page
            bytes.padTo(headerSize + (bytes.count - headerSize + stride - 1) / stride * stride)
        }
        try bytes.withBytes { (b) throws(StoreError) in try io.write(fd, b, at: 0, path: path) }
        try io.sync(fd, path: path)
    }

    /// The subject and data key behind a key reference, nil when it holds none.
    func entry(_ ref: Int) -> WrappedKeyPage.Entry? { pagesLock.withLock { _ in unlockedEntry(ref) } }

    func unlockedEntry(_ ref: Int) -> WrappedKeyPage.Entry? {
        let p = ref / Self.perPage
        guard ref >= 0, p < pages.count else { return nil }
        return pages[p][ref % Self.perPage]
    }

    func ref(of subject: String) -> Int? { refs[Array(subject.utf8)] }

    var subjectCount: Int { refs.count }

    /// Every subject that holds a key.
    var subjects: [String] { pages.flatMap { $0.compactMap { $0?.subject } } }

    /// Returns each subject's key reference, creating (and durably writing) keys for new subjects.
    func ensureKeys(for subjects: [String]) throws(StoreError) -> [Int] {
        var dirty: Set<Int> = []
        var out: [Int] = []
        var created: [[UInt8]] = []
        for subject in subjects {
            let name = Array(subject.utf8)
            if let r = refs[name] { out.append(r); continue }
            let r = allocate()
            let entry = WrappedKeyPage.Entry(subject: subject, key: .random())
            pagesLock.withLock { _ in pages[r / Self.perPage][r % Self.perPage] = entry }
            refs[name] = r
            created.append(name)
            dirty.insert(r / Self.perPage)
            out.append(r)
        }
        do throws(StoreError) { try write(pages: dirty) } catch {
            for name in created {
                if let r = refs.removeValue(forKey: name) { setEmpty(r) }
            }
            throw error
        }
        return out
    }

    /// Destroys the subjects' keys: their pages are rewritten without them, in place, and synced.
    func destroy(_ subjects: [String]) throws(StoreError) {
        var dirty: Set<Int> = []
        for subject in subjects {
            guard let r = refs.removeValue(forKey: Array(subject.utf8)) else { continue }
            setEmpty(r)
            dirty.insert(r / Self.perPage)
        }
        try write(pages: dirty)
    }

    /// Gives `subject` a fresh data key, durably written, that its later templates use; returns the
    /// old key's reference (nil when the subject has no key) for `destroy(ref:)` or `restore`.
    func replaceKey(of subject: String) throws(StoreError) -> Int? {
        let name = Array(subject.utf8)
        guard let old = refs[name] else { return nil }
        let r = allocate()
        pagesLock.withLock { _ in pages[r / Self.perPage][r % Self.perPage] = WrappedKeyPage.Entry(subject: subject, key: .random()) }
        refs[name] = r
        do throws(StoreError) { try write(pages: [r / Self.perPage]) } catch {
            refs[name] = old
            setEmpty(r)
            throw error
        }
        return old
    }

    /// Undoes `replaceKey` when no template was sealed under the new key: destroys it in place.
    func restore(_ subject: String, oldRef: Int) throws(StoreError) {
        let name = Array(subject.utf8)
        guard let r = refs[name], r != oldRef else { return }
        refs[name] = oldRef
        setEmpty(r)
        try write(pages: [r / Self.perPage])
    }

    /// Destroys in place keys that `replaceKey` superseded (never a subject's current key).
    func destroy(refs stale: [Int]) throws(StoreError) {
        var dirty: Set<Int> = []
        for r in stale {
            guard let entry = unlockedEntry(r), refs[Array(entry.subject.utf8)] != r else { continue }
            setEmpty(r)
            dirty.insert(r / Self.perPage)
        }
        try write(pages: dirty)
    }

    /// Keys superseded by `replaceKey` that a crash left behind: every entry but the subject's
    /// current one, or, when `inUse` (references sealed slots hold) names another, that one.
    /// Both walks run only when some subject has more than one key (more entries than refs,
    /// which hold one per subject); an ordinary open has none and skips them.
    func destroyStale(inUse: () -> Set<Int>) throws(StoreError) {
        guard pages.reduce(0, { $0 + $1.count { $0 != nil } }) > refs.count else { return }
        let inUse = inUse()
        var entries: [[UInt8]: [Int]] = [:]
        for (p, page) in pages.enumerated() {
            for (i, entry) in page.enumerated() { if let entry { entries[Array(entry.subject.utf8), default: []].append(p * Self.perPage + i) } }
        }
        var stale: [Int] = []
        for (name, all) in entries where all.count > 1 {
            let keep = all.first(where: inUse.contains) ?? refs[name] ?? all[0]
            refs[name] = keep
            stale += all.filter { $0 != keep }
        }
        try destroy(refs: stale)
    }

    private func setEmpty(_ r: Int) {
        pagesLock.withLock { _ in pages[r / Self.perPage][r % Self.perPage] = nil }
        free.append(r)
    }

    private func allocate() -> Int {
        if let r = free.popLast() { return r }
        pagesLock.withLock { _ in pages.append(Array(repeating: nil, count: Self.perPage)) }
        let first = (pages.count - 1) * Self.perPage
        free.append(contentsOf: ((first + 1)..<(first + Self.perPage)).reversed())
        return first
    }

    private func sealedPage(_ p: Int, under key: MasterKey) -> [UInt8] {
        var bytes = pages[p].allSatisfy { $0 == nil } ? [] : key.wrapPage(pages[p], namespace: namespace, page: UInt64(p))
        bytes.padTo(Self.stride)
        return bytes
    }

    private func write(pages dirty: Set<Int>) throws(StoreError) {
        let images = dirty.sorted().filter { !damagedPages.contains($0) }.map { (page: $0, bytes: sealedPage($0, under: masterKey)) }
        guard !images.isEmpty else { return }
        try journal.record(images)
        for (p, bytes) in images {
            try bytes.withBytes { (b) throws(StoreError) in try io.write(fd, b, at: Self.headerSize + p * Self.stride, path: path) }
        }
        try io.sync(fd, path: path)
    }

    /// Writes every key wrapped under `newKey` to `keys.new` (synced); `commitRotation` swaps it in.
    func prepareRotation(to newKey: MasterKey, directory: String) throws(StoreError) {
        let sealed = (0..<pages.count).map { p in damagedPages.contains(p) ? [UInt8](repeating: 0, count: Self.stride) : sealedPage(p, under: newKey) }
        try Self.writeFile(directory + "/keys.new", header: Self.encodeHeader(newKey.id), pages: sealed, io: io)
    }

    /// After `keys.new` replaced the file: later writes go to the new file, wrapped under `newKey`.
    func adopt(_ newKey: MasterKey) throws(StoreError) {
        let reopened = try io.openFile(path, create: false)
        io.close(fd)
        fd = reopened
        masterKey = newKey
        journal.close()
    }
}

/// Lets the lanes of `concurrentPerform` write disjoint elements through one pointer.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
