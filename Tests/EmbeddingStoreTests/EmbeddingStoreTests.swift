import XCTest
@testable import EmbeddingStore

final class EmbeddingStoreTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = makeTempDirectory() }
    override func tearDown() { cleanup(dir) }

    func testEnrollGetVerifyListAndReopen() throws {
        var rng = TestRNG(state: 1)
        let a = randomUnitVector(rng: &rng), b = randomUnitVector(rng: &rng)
        do {
            let store = try EmbeddingStore.open(directory: dir, modelID: "dlib-v1",
                                                options: StoreOptions(masterKey: testMasterKey, clock: { 1234 }))
            try store.enroll(namespace: "app1", subject: "alice", vector: a, vendorData: [9, 8])
            try store.enroll(namespace: "app1", subject: "alice", vector: b)
            try store.enroll(namespace: "app1", subject: "bob", vector: b)
            let t = try store.templates(namespace: "app1", subject: "alice")
            XCTAssertEqual(t, [Template(vector: a, modelID: "dlib-v1", createdAtMillis: 1234, vendorData: [9, 8]),
                               Template(vector: b, modelID: "dlib-v1", createdAtMillis: 1234, vendorData: [])])
            XCTAssertEqual(try store.verify(namespace: "app1", subject: "alice", vector: a), 0)
            XCTAssertNil(try store.verify(namespace: "app1", subject: "carol", vector: a))
            XCTAssertEqual(try store.stats(namespace: "app1").templates, 3)
            XCTAssertEqual(try store.stats(namespace: "app1").subjects, 2)
        }
        let store = try EmbeddingStore.open(directory: dir, modelID: "dlib-v1", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(try store.templates(namespace: "app1", subject: "alice").map(\.vector), [a, b])
        XCTAssertEqual(try store.listSubjects(namespace: "app1"), ["alice", "bob"])
        XCTAssertEqual(try store.listSubjects(namespace: "app1", after: "alice", limit: 10), ["bob"])
        XCTAssertEqual(try store.listSubjects(namespace: "app1", limit: 1), ["alice"])
        XCTAssertEqual(store.recoveryReports()["app1"], RecoveryReport())
        XCTAssertTrue(store.integrityCheck()["app1"]?.isClean == true)
    }

    func testOldestTemplateIsReplacedWhenFullAndReplaceModeKeepsOnlyTheNewOne() throws {
        var rng = TestRNG(state: 2)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey, maxTemplatesPerSubject: 3))
        let vs = (0..<5).map { _ in randomUnitVector(rng: &rng) }
        for v in vs { try store.enroll(namespace: "n", subject: "s", vector: v) }
        XCTAssertEqual(try store.templates(namespace: "n", subject: "s").map(\.vector), Array(vs[2...]))
        try store.enroll(namespace: "n", subject: "s", vector: vs[0], mode: .replace)
        XCTAssertEqual(try store.templates(namespace: "n", subject: "s").map(\.vector), [vs[0]])
        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey, maxTemplatesPerSubject: 3))
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "s").map(\.vector), [vs[0]])
        XCTAssertEqual(try reopened.search(namespace: "n", vector: vs[4], topK: 5).count, 1)
    }

    func testSearchFindsNearestDistinctSubjectsWithinMaxDistance() throws {
        var rng = TestRNG(state: 3)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        let q = randomUnitVector(rng: &rng)
        var near = q
        near[0] += 0.1
        try store.enroll(namespace: "n", batch: [
            Enrollment(subject: "twin", vector: near), Enrollment(subject: "twin", vector: q),
            Enrollment(subject: "other", vector: randomUnitVector(rng: &rng)),
        ])
        let hits = try store.search(namespace: "n", vector: q, topK: 5)
        XCTAssertEqual(hits.map(\.subject), ["twin", "other"])
        XCTAssertEqual(hits[0].distance, 0)
        XCTAssertEqual(try store.search(namespace: "n", vector: near, topK: 5, maxDistance: 0.5),
                       [SearchHit(subject: "twin", distance: 0)])
        XCTAssertEqual(try store.search(namespace: "empty", vector: q, topK: 5), [])
    }

    func testDeleteRemovesSubjectEverywhere() throws {
        var rng = TestRNG(state: 4)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        let v = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "n", subject: "x", vector: v)
        XCTAssertTrue(try store.delete(namespace: "n", subject: "x"))
        XCTAssertFalse(try store.delete(namespace: "n", subject: "x"))
        XCTAssertEqual(try store.templates(namespace: "n", subject: "x"), [])
        XCTAssertEqual(try store.search(namespace: "n", vector: v, topK: 3), [])
        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(try reopened.search(namespace: "n", vector: v, topK: 3), [])
        XCTAssertEqual(try reopened.stats(namespace: "n").templates, 0)
        XCTAssertTrue(reopened.recoveryReports()["n"]?.isClean == true)
    }

    func testNamespacesAreIsolated() throws {
        var rng = TestRNG(state: 5)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        let v = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "bank", subject: "alice", vector: v)
        try store.enroll(namespace: "gym", subject: "bob", vector: v)
        XCTAssertEqual(try store.search(namespace: "bank", vector: v, topK: 10).map(\.subject), ["alice"])
        XCTAssertEqual(try store.search(namespace: "gym", vector: v, topK: 10).map(\.subject), ["bob"])
        XCTAssertEqual(try store.templates(namespace: "gym", subject: "alice"), [])
        XCTAssertNil(try store.verify(namespace: "bank", subject: "bob", vector: v))
        XCTAssertTrue(try store.delete(namespace: "gym", subject: "bob"))
        XCTAssertEqual(try store.templates(namespace: "bank", subject: "alice").count, 1)
        XCTAssertEqual(store.namespaces(), ["bank", "gym"])
        XCTAssertThrowsError(try store.enroll(namespace: "../bank", subject: "x", vector: v)) { e in
            XCTAssertEqual(e as? StoreError, .invalidNamespace("../bank"))
        }
    }

    func testOpeningWithAnotherModelOrDimensionIsRefused() throws {
        var rng = TestRNG(state: 6)
        let store = try EmbeddingStore.open(directory: dir, modelID: "dlib-v1", options: StoreOptions(masterKey: testMasterKey))
        try store.enroll(namespace: "n", subject: "s", vector: randomUnitVector(rng: &rng))
        XCTAssertThrowsError(try EmbeddingStore.open(directory: dir, modelID: "other", options: StoreOptions(masterKey: testMasterKey))) { e in
            XCTAssertEqual(e as? StoreError, .modelMismatch(expected: "other", found: "dlib-v1"))
        }
        XCTAssertThrowsError(try EmbeddingStore.open(directory: dir, dimension: 64, modelID: "dlib-v1", options: StoreOptions(masterKey: testMasterKey))) { e in
            XCTAssertEqual(e as? StoreError, .dimensionMismatch(expected: 64, found: 128))
        }
        // A namespace copied from another store is refused too, not mixed in.
        let other = makeTempDirectory()
        defer { cleanup(other) }
        let o = try EmbeddingStore.open(directory: other, dimension: 64, modelID: "dlib-v1", options: StoreOptions(masterKey: testMasterKey))
        try o.enroll(namespace: "alien", subject: "s", vector: [Float](repeating: 0.1, count: 64))
        try FileManager.default.copyItem(atPath: other + "/namespaces/alien", toPath: dir + "/namespaces/alien")
        XCTAssertThrowsError(try EmbeddingStore.open(directory: dir, modelID: "dlib-v1", options: StoreOptions(masterKey: testMasterKey))) { e in
            XCTAssertEqual(e as? StoreError, .dimensionMismatch(expected: 128, found: 64))
        }
    }

    func testInvalidInputGetsTypedErrors() throws {
        let store = try EmbeddingStore.open(directory: dir, dimension: 4, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        let v: [Float] = [0, 1, 0, 0]
        let cases: [(() throws -> Void, StoreError)] = [
            ({ try store.enroll(namespace: "n", subject: "", vector: v) }, .invalidSubject(byteCount: 0)),
            ({ try store.enroll(namespace: "n", subject: String(repeating: "é", count: 65), vector: v) }, .invalidSubject(byteCount: 130)),
            ({ try store.enroll(namespace: "n", subject: "s", vector: [1, 2]) }, .vectorLength(expected: 4, found: 2)),
            ({ try store.enroll(namespace: "n", subject: "s", vector: [0, .nan, 0, 0]) }, .nonFiniteVector(index: 1)),
            ({ try store.enroll(namespace: "n", subject: "s", vector: v, vendorData: [UInt8](repeating: 1, count: 257)) }, .vendorDataTooLarge(byteCount: 257)),
            ({ _ = try store.search(namespace: "n", vector: v, topK: 0) }, .invalidTopK(0)),
        ]
        for (call, expected) in cases {
            XCTAssertThrowsError(try call()) { XCTAssertEqual($0 as? StoreError, expected) }
        }
        XCTAssertThrowsError(try EmbeddingStore.open(directory: dir + "/x", dimension: 0, modelID: "m", options: StoreOptions(masterKey: testMasterKey))) {
            XCTAssertEqual($0 as? StoreError, .invalidDimension(0))
        }
    }

    func testCapacityLimitIsATypedError() throws {
        let store = try EmbeddingStore.open(directory: dir, dimension: 4, modelID: "m", options: StoreOptions(masterKey: testMasterKey, maxSlotsPerNamespace: 2))
        try store.enroll(namespace: "n", batch: [Enrollment(subject: "a", vector: [1, 0, 0, 0]), Enrollment(subject: "b", vector: [0, 1, 0, 0])])
        XCTAssertThrowsError(try store.enroll(namespace: "n", subject: "c", vector: [0, 0, 1, 0])) {
            XCTAssertEqual($0 as? StoreError, .capacityExceeded(limit: 2))
        }
        XCTAssertTrue(try store.delete(namespace: "n", subject: "a"))
        XCTAssertEqual(try store.compact(namespace: "n").slotsReclaimed, 1)
        try store.enroll(namespace: "n", subject: "c", vector: [0, 0, 1, 0])
        XCTAssertEqual(try store.listSubjects(namespace: "n"), ["b", "c"])
    }
}
