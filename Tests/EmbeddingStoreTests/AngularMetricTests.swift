import XCTest
@testable import EmbeddingStore

/// `StoreMetric.angular`: distances between the unit-length vectors, for templates enrolled at any
/// length; search still returns exactly what the exhaustive scan returns.
final class AngularMetricTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = makeTempDirectory() }
    override func tearDown() { cleanup(dir) }

    private func open(_ metric: StoreMetric) throws -> EmbeddingStore {
        try EmbeddingStore.open(directory: dir, modelID: "m",
                                options: StoreOptions(masterKey: testMasterKey, maxTemplatesPerSubject: 64, metric: metric))
    }

    private func angular(_ a: [Float], _ b: [Float]) -> Float {
        let dot = zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        let na = a.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        let nb = b.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        return Float(max(0, 2 - 2 * dot / (na * nb)).squareRoot())
    }

    func testDistancesIgnoreLength() throws {
        var rng = TestRNG(state: 21)
        let v = randomUnitVector(rng: &rng), w = randomUnitVector(rng: &rng)
        let store = try open(.angular)
        try store.enroll(namespace: "n", subject: "a", vector: v.map { $0 * 1.4 })
        let same = try XCTUnwrap(store.verify(namespace: "n", subject: "a", vector: v.map { $0 * 0.3 }))
        XCTAssertEqual(same, 0, accuracy: 2e-3)
        let other = try XCTUnwrap(store.verify(namespace: "n", subject: "a", vector: w.map { $0 * 5 }))
        XCTAssertEqual(other, angular(v, w), accuracy: 1e-4)
        // The same bytes opened with the euclidean metric measure the raw vectors.
        let raw = try open(.euclidean)
        XCTAssertEqual(try XCTUnwrap(raw.verify(namespace: "n", subject: "a", vector: v.map { $0 * 0.3 })), 1.1, accuracy: 1e-4)
    }

    func testSearchMatchesExhaustiveScanAndBruteForceAtMixedLengths() throws {
        var rng = TestRNG(state: 22)
        let store = try open(.angular)
        var stored: [(String, [Float])] = []
        var batch: [Enrollment] = []
        for s in 0..<1200 {
            let length = Float(0.5 + Double(s % 13) / 6)
            let v = randomUnitVector(rng: &rng).map { $0 * length }
            stored.append(("s\(s % 900)", v))
            batch.append(Enrollment(subject: "s\(s % 900)", vector: v))
        }
        try store.enroll(namespace: "n", batch: batch)
        var queries = (0..<4).map { _ in randomUnitVector(rng: &rng).map { $0 * 2.5 } }
        queries += (0..<4).map { i in stored[i * 151].1.enumerated().map { ($0.element + ($0.offset % 5 == 0 ? 0.03 : 0)) * 0.7 } }
        for q in queries {
            for (k, maxD) in [(1, Float.infinity), (5, .infinity), (10, 1.2)] {
                let fast = try store.search(namespace: "n", vector: q, topK: k, maxDistance: maxD)
                XCTAssertEqual(fast, try store.exhaustiveSearch(namespace: "n", vector: q, topK: k, maxDistance: maxD))
                // Brute force in Double: the nearest subject and its distance.
                var best: [String: Float] = [:]
                for (subject, v) in stored { best[subject] = min(best[subject] ?? .infinity, angular(q, v)) }
                let expected = best.filter { $0.value <= maxD }.sorted { $0.value < $1.value }.prefix(k)
                XCTAssertEqual(fast.map(\.subject).first, expected.first?.key)
                for (hit, e) in zip(fast, expected) { XCTAssertEqual(hit.distance, e.value, accuracy: 1e-3) }
            }
        }
    }

    func testReopenedStoreKeepsDistancesAndPassesItsIntegrityCheck() throws {
        var rng = TestRNG(state: 23)
        let vectors = (0..<50).map { i in randomUnitVector(rng: &rng).map { $0 * Float(1 + i % 4) } }
        let query = randomUnitVector(rng: &rng)
        let store = try open(.angular)
        try store.enroll(namespace: "n", batch: vectors.enumerated().map { Enrollment(subject: "s\($0.offset)", vector: $0.element) })
        let before = try store.search(namespace: "n", vector: query, topK: 5)
        XCTAssertTrue(store.integrityCheck().values.allSatisfy(\.isClean))
        let reopened = try open(.angular)
        XCTAssertEqual(try reopened.search(namespace: "n", vector: query, topK: 5), before)
        XCTAssertTrue(reopened.integrityCheck().values.allSatisfy(\.isClean))
        XCTAssertEqual(before.count, 5)
    }
}
