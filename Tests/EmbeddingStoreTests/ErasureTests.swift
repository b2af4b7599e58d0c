import XCTest
@testable import EmbeddingStore

final class ErasureTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = makeTempDirectory() }
    override func tearDown() { cleanup(dir) }

    private func filesContain(_ needle: [UInt8], under root: String? = nil) -> [String] {
        allFiles(under: root ?? dir).filter { path in
            contains([UInt8](FileManager.default.contents(atPath: path) ?? Data()), needle)
        }
    }

    func testDeletedAndReplacedTemplatesLeaveNoBytesInAnyFile() throws {
        var rng = TestRNG(state: 21)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey, maxTemplatesPerSubject: 2))
        let secret = randomUnitVector(rng: &rng)
        let secretVendor = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let replaced = randomUnitVector(rng: &rng)
        let keep = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "n", subject: "victim", vector: secret, vendorData: secretVendor)
        try store.enroll(namespace: "n", subject: "rotating", vector: replaced)
        try store.enroll(namespace: "n", subject: "keeper", vector: keep, vendorData: [7, 7, 7, 7, 7, 7, 7, 7])
        // Slots 0, 1, 2: the sealed records (ciphertext) are what the files hold.
        let secretSealed = Array(sealedRecord(dir, slot: 0).prefix(4 + SlabFormat(dimension: 128).sealedBytes))
        let replacedSealed = Array(sealedRecord(dir, slot: 1).prefix(4 + SlabFormat(dimension: 128).sealedBytes))
        XCTAssertFalse(filesContain(Array(secretSealed[8..<40])).isEmpty, "the search must be able to find stored bytes")
        XCTAssertFalse(filesContain(secretVendor).isEmpty)

        XCTAssertTrue(try store.delete(namespace: "n", subject: "victim"))
        for _ in 0..<2 { try store.enroll(namespace: "n", subject: "rotating", vector: randomUnitVector(rng: &rng)) }

        // Any 32-byte window of the erased ciphertext, and the vendor data, are gone from every file.
        for window in stride(from: 0, to: secretSealed.count - 32, by: 32) {
            XCTAssertEqual(filesContain(Array(secretSealed[window..<(window + 32)])), [], "deleted ciphertext at \(window)")
            XCTAssertEqual(filesContain(Array(replacedSealed[window..<(window + 32)])), [], "replaced ciphertext at \(window)")
        }
        XCTAssertEqual(filesContain(secretVendor), [])
        XCTAssertEqual(try store.templates(namespace: "n", subject: "keeper").map(\.vector), [keep], "live data stays")

        let before = try store.stats(namespace: "n")
        let keeperSealed = Array(sealedRecord(dir, slot: 2)[8..<40])
        let report = try store.compact(namespace: "n")
        XCTAssertEqual(report.slotsReclaimed, 2)
        XCTAssertLessThan(try store.stats(namespace: "n").slots, before.slots)
        XCTAssertEqual(filesContain(keeperSealed), [], "compaction overwrote the old generation's ciphertext")
        XCTAssertEqual(try store.templates(namespace: "n", subject: "keeper").first?.vendorData, [7, 7, 7, 7, 7, 7, 7, 7])
        XCTAssertEqual(try store.search(namespace: "n", vector: secret, topK: 10).map(\.subject).sorted(), ["keeper", "rotating"])

        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertTrue(reopened.recoveryReports()["n"]?.isClean == true)
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "rotating").count, 2)
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "victim"), [])
    }

    /// Delete overwrites in place: the same file (same inode) holds zeros where the subject's
    /// sealed record and log record were, and its key page was rewritten without its key.
    func testDeleteOverwritesCiphertextAndKeyInPlace() throws {
        var rng = TestRNG(state: 22)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        try store.enroll(namespace: "n", subject: "victim", vector: randomUnitVector(rng: &rng), vendorData: Array("victim-vendor".utf8))
        let ns = dir + "/namespaces/n/"
        let slabInode = try inode(ns + "slab.1"), logInode = try inode(ns + "log.1"), keysInode = try inode(ns + "keys")
        let keyPage = Array(try bytes(ns + "keys")[SubjectKeys.headerSize..<(SubjectKeys.headerSize + SubjectKeys.stride)])
        XCTAssertTrue(keyPage.contains { $0 != 0 })
        XCTAssertTrue(sealedRecord(dir, slot: 0).contains { $0 != 0 })
        let log = try bytes(ns + "log.1")
        XCTAssertTrue(contains(log, Array("victim-vendor".utf8)))

        XCTAssertTrue(try store.delete(namespace: "n", subject: "victim"))
        XCTAssertEqual([try inode(ns + "slab.1"), try inode(ns + "log.1"), try inode(ns + "keys")], [slabInode, logInode, keysInode])
        XCTAssertEqual(sealedRecord(dir, slot: 0), [UInt8](repeating: 0, count: SlabFormat(dimension: 128).sealedStride))
        // The template record (first record after the header) is zeros; the erase record follows it.
        XCTAssertEqual(Array(try bytes(ns + "log.1")[LogFormat.headerSize..<(LogFormat.headerSize + 64)]), [UInt8](repeating: 0, count: 64))
        XCTAssertFalse(contains(try bytes(ns + "log.1"), Array("victim-vendor".utf8)))
        // Its page held only the victim's key: it is now all zeros.
        XCTAssertEqual(Array(try bytes(ns + "keys")[SubjectKeys.headerSize..<(SubjectKeys.headerSize + SubjectKeys.stride)]),
                       [UInt8](repeating: 0, count: SubjectKeys.stride))
    }

    /// Retention: templates older than the cutoff are erased; a subject left with none loses its key.
    func testEraseTemplatesCreatedBeforeACutoff() throws {
        var rng = TestRNG(state: 23)
        let now = ManagedClock(1_000)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m",
                                            options: StoreOptions(masterKey: testMasterKey, clock: { now.value }))
        let old = [randomUnitVector(rng: &rng), randomUnitVector(rng: &rng)]
        try store.enroll(namespace: "n", subject: "mixed", vector: old[0])
        try store.enroll(namespace: "n", subject: "expired", vector: old[1])
        now.value = 2_000
        let fresh = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "n", subject: "mixed", vector: fresh)
        try store.enroll(namespace: "n", subject: "young", vector: randomUnitVector(rng: &rng))
        let expiredSealed = sealedRecord(dir, slot: 1)

        XCTAssertEqual(try store.eraseTemplates(namespace: "n", createdBefore: 1_500), 2)
        XCTAssertEqual(try store.eraseTemplates(namespace: "n", createdBefore: 1_500), 0, "nothing left to erase")
        XCTAssertEqual(try store.eraseTemplates(namespace: "absent", createdBefore: 1_500), 0)
        XCTAssertEqual(try store.templates(namespace: "n", subject: "mixed").map(\.vector), [fresh])
        XCTAssertEqual(try store.templates(namespace: "n", subject: "expired"), [])
        XCTAssertEqual(try store.listSubjects(namespace: "n"), ["mixed", "young"])
        let keys = try XCTUnwrap(try store.namespace("n", create: false)?.keys)
        XCTAssertNil(keys.ref(of: "expired"), "a subject with no template left has no data key")
        XCTAssertNotNil(keys.ref(of: "mixed"))
        XCTAssertTrue(expiredSealed.contains { $0 != 0 })
        for slot in [0, 1, 2] {
            XCTAssertEqual(sealedRecord(dir, slot: slot), [UInt8](repeating: 0, count: SlabFormat(dimension: 128).sealedStride))
        }
        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertTrue(reopened.recoveryReports()["n"]?.isClean == true)
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "mixed").map(\.createdAtMillis), [2_000])
    }

    private func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    private func inode(_ path: String) throws -> UInt64 {
        try XCTUnwrap((try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.uint64Value)
    }
}

/// A settable clock for StoreOptions.clock.
final class ManagedClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int64
    init(_ start: Int64) { current = start }
    var value: Int64 {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
