import XCTest
@testable import EmbeddingStore

/// A crash during rotation leaves the store wholly under the old or wholly under the new key.
final class MasterKeyRotationTests: XCTestCase {
    var dir = ""
    var vectors: [String: [Float]] = [:]
    override func setUp() { dir = makeTempDirectory("rotation") }
    override func tearDown() { cleanup(dir) }

    private func makeStore() throws -> EmbeddingStore {
        var rng = TestRNG(state: 71)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        for i in 0..<70 {
            let v = randomUnitVector(rng: &rng)
            vectors["s\(i)"] = v
            try store.enroll(namespace: i % 2 == 0 ? "even" : "odd", subject: "s\(i)", vector: v)
        }
        return store
    }

    private func assertAllVerify(_ key: MasterKey, file: StaticString = #filePath, line: UInt = #line) throws {
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: key))
        for (subject, v) in vectors {
            let ns = Int(subject.dropFirst())! % 2 == 0 ? "even" : "odd"
            XCTAssertEqual(try store.verify(namespace: ns, subject: subject, vector: v), 0, subject, file: file, line: line)
        }
        let leftovers = allFiles(under: dir).filter { $0.hasSuffix("keys.new") || $0.hasSuffix("ROTATION") }
        XCTAssertEqual(leftovers, [], file: file, line: line)
    }

    private func refused(_ key: MasterKey, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: key)), file: file, line: line) { error in
            guard case .wrongMasterKey = error as? StoreError else { return XCTFail("\(error)", file: file, line: line) }
        }
    }

    func testRotationRewrapsEveryKeyAndTheStoreKeepsWorking() throws {
        let store = try makeStore()
        let newKey = MasterKey.random()
        let report = try store.rotateMasterKey(to: newKey)
        XCTAssertEqual(report, RotationReport(namespaces: 2, dataKeys: 70, oldKeyID: testMasterKey.id.description, newKeyID: newKey.id.description))
        var rng = TestRNG(state: 72)
        let late = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "even", subject: "late", vector: late)
        try store.enroll(namespace: "fresh", subject: "late", vector: late)
        XCTAssertTrue(try store.delete(namespace: "odd", subject: "s1"))
        vectors["s1"] = nil
        refused(testMasterKey)
        try assertAllVerify(newKey)
        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: newKey))
        XCTAssertEqual(try reopened.verify(namespace: "fresh", subject: "late", vector: late), 0)
        XCTAssertEqual(try reopened.verify(namespace: "even", subject: "late", vector: late), 0)
    }

    func testACrashAfterTheCommitPointIsFinishedByTheNextOpen() throws {
        let store = try makeStore()
        let newKey = MasterKey.random()
        let spaces = store.allNamespaces().map(\.1)
        for ns in spaces { try ns.keys.prepareRotation(to: newKey, directory: ns.directory) }
        try MasterKeyRotation.writeMarker(directory: dir, newKey: newKey.id, io: PosixFileIO())
        // Crash: one namespace had its new keys swapped in, the other not.
        try overwriteWithZeros(spaces[0].directory + "/keys", io: PosixFileIO())
        try PosixFileIO().rename(spaces[0].directory + "/keys.new", to: spaces[0].directory + "/keys")
        refused(testMasterKey)
        try assertAllVerify(newKey)
    }

    func testACrashBeforeTheCommitPointLeavesTheOldKey() throws {
        let store = try makeStore()
        let newKey = MasterKey.random()
        let spaces = store.allNamespaces().map(\.1)
        try spaces[0].keys.prepareRotation(to: newKey, directory: spaces[0].directory)
        refused(newKey)
        try assertAllVerify(testMasterKey)
    }
}
