import XCTest
@testable import EmbeddingStore

final class ErasureTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = makeTempDirectory() }
    override func tearDown() { cleanup(dir) }

    private func filesContain(_ needle: [UInt8]) -> [String] {
        allFiles(under: dir).filter { path in
            contains([UInt8](FileManager.default.contents(atPath: path) ?? Data()), needle)
        }
    }

    func testDeletedAndReplacedTemplatesLeaveNoBytesInAnyFile() throws {
        var rng = TestRNG(state: 21)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(maxTemplatesPerSubject: 2))
        let secret = randomUnitVector(rng: &rng)
        let secretVendor = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let replaced = randomUnitVector(rng: &rng)
        let keep = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "n", subject: "victim", vector: secret, vendorData: secretVendor)
        try store.enroll(namespace: "n", subject: "rotating", vector: replaced)
        try store.enroll(namespace: "n", subject: "keeper", vector: keep, vendorData: [7, 7, 7, 7, 7, 7, 7, 7])
        let secretBytes = secret.withUnsafeBytes { Array($0) }
        let replacedBytes = replaced.withUnsafeBytes { Array($0) }
        XCTAssertFalse(filesContain(secretBytes).isEmpty, "the search must be able to find stored bytes")
        XCTAssertFalse(filesContain(secretVendor).isEmpty)

        XCTAssertTrue(try store.delete(namespace: "n", subject: "victim"))
        for _ in 0..<2 { try store.enroll(namespace: "n", subject: "rotating", vector: randomUnitVector(rng: &rng)) }

        // Any 32-byte window of the erased vectors, and the vendor data, are gone from every file.
        for window in stride(from: 0, to: secretBytes.count - 32, by: 32) {
            XCTAssertEqual(filesContain(Array(secretBytes[window..<(window + 32)])), [], "deleted vector bytes at \(window)")
            XCTAssertEqual(filesContain(Array(replacedBytes[window..<(window + 32)])), [], "replaced vector bytes at \(window)")
        }
        XCTAssertEqual(filesContain(secretVendor), [])
        XCTAssertFalse(filesContain(keep.withUnsafeBytes { Array($0) }).isEmpty, "live data stays")

        let before = try store.stats(namespace: "n")
        let report = try store.compact(namespace: "n")
        XCTAssertEqual(report.slotsReclaimed, 2)
        XCTAssertLessThan(try store.stats(namespace: "n").slots, before.slots)
        XCTAssertEqual(filesContain(Array(secretBytes[0..<32])), [])
        XCTAssertEqual(try store.templates(namespace: "n", subject: "keeper").first?.vendorData, [7, 7, 7, 7, 7, 7, 7, 7])
        XCTAssertEqual(try store.search(namespace: "n", vector: secret, topK: 10).map(\.subject).sorted(), ["keeper", "rotating"])

        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m")
        XCTAssertTrue(reopened.recoveryReports()["n"]?.isClean == true)
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "rotating").count, 2)
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "victim"), [])
    }
}
