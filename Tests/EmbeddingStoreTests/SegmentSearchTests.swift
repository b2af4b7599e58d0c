import XCTest
@testable import EmbeddingStore

/// The sketch pre-filter must return exactly what the exhaustive Float32 scan returns.
final class SegmentSearchTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = makeTempDirectory() }
    override func tearDown() { cleanup(dir) }

    private func assertSameAsExhaustive(_ store: EmbeddingStore, queries: [[Float]], file: StaticString = #filePath, line: UInt = #line) throws {
        for (i, q) in queries.enumerated() {
            for (k, maxD) in [(1, Float.infinity), (5, .infinity), (20, .infinity), (5, 0.9), (10, 0.3)] {
                let fast = try store.search(namespace: "n", vector: q, topK: k, maxDistance: maxD)
                let exact = try store.exhaustiveSearch(namespace: "n", vector: q, topK: k, maxDistance: maxD)
                XCTAssertEqual(fast, exact, "query \(i) k \(k) max \(maxD)", file: file, line: line)
            }
        }
    }

    func testRandomUnitVectorsMatchExhaustiveScan() throws {
        var rng = TestRNG(state: 11)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        var stored: [[Float]] = []
        var batch: [Enrollment] = []
        for s in 0..<1500 {
            for _ in 0..<2 {
                let v = randomUnitVector(rng: &rng)
                stored.append(v)
                batch.append(Enrollment(subject: "s\(s)", vector: v))
            }
        }
        try store.enroll(namespace: "n", batch: batch)
        var queries = (0..<6).map { _ in randomUnitVector(rng: &rng) }
        queries += (0..<6).map { i in stored[i * 97].enumerated().map { $0.element + ($0.offset % 7 == 0 ? 0.02 : 0) } }
        try assertSameAsExhaustive(store, queries: queries)
        XCTAssertEqual(try store.search(namespace: "n", vector: stored[500], topK: 1).first?.distance, 0)
    }

    func testNearTiesAndMixedScalesMatchExhaustiveScan() throws {
        var rng = TestRNG(state: 12)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey, maxTemplatesPerSubject: 64))
        let centre = randomUnitVector(rng: &rng)
        var batch: [Enrollment] = []
        for s in 0..<1500 {
            // Tiny perturbations of one point: distances differ far less than the sketch error.
            let scale: Float = s % 10 == 0 ? 30 : 1
            let v = centre.map { ($0 + Float.random(in: -0.002...0.002, using: &rng)) * scale }
            batch.append(Enrollment(subject: "s\(s % 700)", vector: v))
        }
        batch.append(Enrollment(subject: "zero", vector: [Float](repeating: 0, count: 128)))
        try store.enroll(namespace: "n", batch: batch)
        let queries = [centre, centre.map { $0 * 30 }, [Float](repeating: 0, count: 128), randomUnitVector(rng: &rng)]
        try assertSameAsExhaustive(store, queries: queries)
    }
}
