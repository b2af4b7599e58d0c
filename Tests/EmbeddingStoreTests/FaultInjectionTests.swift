import XCTest
@testable import EmbeddingStore

/// Disk full and read-only directories: the operation fails with a typed error, nothing is
/// acknowledged or visible, and the store stays valid and usable.
final class FaultInjectionTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = makeTempDirectory() }
    override func tearDown() { cleanup(dir) }

    private func check(_ io: FaultyFileIO, expectedErrno: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        var rng = TestRNG(state: 31)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey, fileIO: io))
        let a = randomUnitVector(rng: &rng), b = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "n", subject: "alice", vector: a)
        io.armed.store(true, ordering: .releasing)
        for attempt in [{ try store.enroll(namespace: "n", subject: "bob", vector: b) },
                        { try store.enroll(namespace: "n", batch: [Enrollment(subject: "carol", vector: b), Enrollment(subject: "dave", vector: b)]) },
                        { _ = try store.delete(namespace: "n", subject: "alice") }] {
            XCTAssertThrowsError(try attempt(), file: file, line: line) { e in
                guard case let .io(_, _, code) = e as? StoreError else { return XCTFail("\(e)", file: file, line: line) }
                XCTAssertEqual(code, expectedErrno, file: file, line: line)
            }
        }
        io.armed.store(false, ordering: .releasing)
        XCTAssertEqual(try store.listSubjects(namespace: "n"), ["alice"], file: file, line: line)
        XCTAssertEqual(try store.search(namespace: "n", vector: b, topK: 5).map(\.subject), ["alice"], file: file, line: line)
        try store.enroll(namespace: "n", subject: "erin", vector: b)
        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(try reopened.listSubjects(namespace: "n"), ["alice", "erin"], file: file, line: line)
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "alice").map(\.vector), [a], file: file, line: line)
        XCTAssertTrue(reopened.recoveryReports()["n"]?.isClean == true, file: file, line: line)
        XCTAssertTrue(reopened.integrityCheck()["n"]?.isClean == true, file: file, line: line)
    }

    func testDiskFullDuringWrites() throws { try check(FaultyFileIO(failWrites: true), expectedErrno: ENOSPC) }

    func testDiskFullDuringSync() throws { try check(FaultyFileIO(failSyncs: true), expectedErrno: ENOSPC) }

    func testReadOnlyDirectory() throws {
        var rng = TestRNG(state: 32)
        let io = FaultyFileIO(failWrites: true, failSyncs: true, failCreates: true, errno: EROFS)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey, fileIO: io))
        let v = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "old", subject: "s", vector: v)
        io.armed.store(true, ordering: .releasing)
        XCTAssertThrowsError(try store.enroll(namespace: "new", subject: "s", vector: v)) { e in
            XCTAssertEqual((e as? StoreError).flatMap { if case let .io(_, _, c) = $0 { c } else { nil } }, EROFS)
        }
        XCTAssertThrowsError(try EmbeddingStore.open(directory: dir + "-fresh", modelID: "m", options: StoreOptions(masterKey: testMasterKey, fileIO: io)))
        XCTAssertEqual(try store.search(namespace: "old", vector: v, topK: 1).first?.distance, 0)
        io.armed.store(false, ordering: .releasing)
        try store.enroll(namespace: "new", subject: "s", vector: v)
        XCTAssertEqual(try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey)).namespaces(), ["new", "old"])
    }
}

/// A failure after the erase record is durable but before the bytes are zeroed (the state a
/// crash there leaves): the subject is gone at once, and the next open finishes the erasure.
final class InterruptedErasureTests: XCTestCase {
    func testReopenCompletesAnInterruptedErasure() throws {
        let dir = makeTempDirectory()
        defer { cleanup(dir) }
        var rng = TestRNG(state: 33)
        let io = FaultyFileIO(failWrites: true, onlyPath: "slab.")
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey, fileIO: io))
        let secret = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "n", subject: "victim", vector: secret)
        try store.enroll(namespace: "n", subject: "other", vector: randomUnitVector(rng: &rng))
        io.armed.store(true, ordering: .releasing)
        XCTAssertThrowsError(try store.delete(namespace: "n", subject: "victim"))
        XCTAssertEqual(try store.listSubjects(namespace: "n"), ["other"], "deleted once the erase record is durable")
        XCTAssertTrue(sealedRecord(dir, slot: 0).contains { $0 != 0 }, "the victim's ciphertext is still in the slab")
        XCTAssertNotNil(try store.namespace("n", create: false)?.keys.ref(of: "victim"), "and its data key")

        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(reopened.recoveryReports()["n"]?.erasuresCompleted, 1)
        XCTAssertEqual(reopened.recoveryReports()["n"]?.lostRecords, 0)
        XCTAssertEqual(try reopened.listSubjects(namespace: "n"), ["other"])
        XCTAssertEqual(sealedRecord(dir, slot: 0), [UInt8](repeating: 0, count: SlabFormat(dimension: 128).sealedStride))
        XCTAssertNil(try reopened.namespace("n", create: false)?.keys.ref(of: "victim"), "open destroyed the victim's key")
    }

    /// A crash after a replacement's fresh key is durable but before its batch commits leaves the
    /// subject two keys: the next open keeps the one its sealed slots use and destroys the other.
    func testReopenDestroysTheUnusedKeyOfAnInterruptedReplacement() throws {
        let dir = makeTempDirectory()
        defer { cleanup(dir) }
        var rng = TestRNG(state: 34)
        let v = randomUnitVector(rng: &rng)
        var store: EmbeddingStore? = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        try store!.enroll(namespace: "n", subject: "s", vector: v)
        let keys = try XCTUnwrap(try store!.namespace("n", create: false)?.keys)
        let used = try XCTUnwrap(keys.ref(of: "s"))
        XCTAssertEqual(try keys.replaceKey(of: "s"), used)
        let unused = try XCTUnwrap(keys.ref(of: "s"))
        XCTAssertNotEqual(unused, used)
        store = nil

        for _ in 0..<2 {
            let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
            let reopenedKeys = try XCTUnwrap(try reopened.namespace("n", create: false)?.keys)
            XCTAssertEqual(reopenedKeys.subjects, ["s"])
            XCTAssertEqual(reopenedKeys.ref(of: "s"), used)
            XCTAssertNil(reopenedKeys.entry(unused))
            XCTAssertEqual(try reopened.templates(namespace: "n", subject: "s").map(\.vector), [v])
        }
    }
}
