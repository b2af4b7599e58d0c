import Atomics
import Foundation
import XCTest
@testable import EmbeddingStore

/// Readers search and read templates while one writer enrols, replaces and deletes. Every
/// result a reader sees must be a template that was really enrolled, with its exact bytes.
final class ConcurrencyTests: XCTestCase {
    func testReadersDuringWritesSeeOnlyCompleteTemplates() throws {
        let dir = makeTempDirectory()
        defer { cleanup(dir) }
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey, maxTemplatesPerSubject: 2))
        // Subject i's template j is vector(i, j): known to readers without shared mutable state.
        @Sendable func vector(_ i: Int, _ j: Int) -> [Float] {
            var rng = TestRNG(state: UInt64(i * 1000 + j + 1))
            return randomUnitVector(rng: &rng)
        }
        try store.enroll(namespace: "n", subject: "s0", vector: vector(0, 0))
        let done = ManagedAtomic<Bool>(false)
        let checks = ManagedAtomic<Int>(0)
        let failures = ManagedAtomic<Int>(0)
        let group = DispatchGroup()
        let subjects = 60

        for r in 0..<3 {
            group.enter()
            Thread {
                defer { group.leave() }
                var rng = TestRNG(state: UInt64(100 + r))
                while !done.load(ordering: .acquiring) || checks.load(ordering: .relaxed) < 30 {
                    let i = Int(rng.next() % UInt64(subjects)), j = Int(rng.next() % 4)
                    let q = vector(i, j)
                    guard let hits = try? store.search(namespace: "n", vector: q, topK: 3),
                          let templates = try? store.templates(namespace: "n", subject: "s\(i)") else {
                        failures.wrappingIncrement(ordering: .relaxed)
                        continue
                    }
                    for h in hits {
                        guard let n = Int(h.subject.dropFirst()) else { failures.wrappingIncrement(ordering: .relaxed); continue }
                        let real = (0..<4).map { l2(q, vector(n, $0)) }
                        if !real.contains(where: { abs($0 - h.distance) < 1e-4 }) { failures.wrappingIncrement(ordering: .relaxed) }
                    }
                    for t in templates where !(0..<4).contains(where: { vector(i, $0) == t.vector }) {
                        failures.wrappingIncrement(ordering: .relaxed)
                    }
                    checks.wrappingIncrement(ordering: .relaxed)
                }
            }.start()
        }
        var rng = TestRNG(state: 7)
        for round in 0..<4 {
            for i in 0..<subjects {
                let mode: EnrollMode = rng.next() % 5 == 0 ? .replace : .append
                try store.enroll(namespace: "n", subject: "s\(i)", vector: vector(i, round), mode: mode)
                if rng.next() % 7 == 0 { _ = try store.delete(namespace: "n", subject: "s\(Int(rng.next() % UInt64(subjects)))") }
            }
        }
        done.store(true, ordering: .releasing)
        group.wait()
        XCTAssertGreaterThanOrEqual(checks.load(ordering: .relaxed), 30)
        XCTAssertEqual(failures.load(ordering: .relaxed), 0)
        XCTAssertTrue(store.integrityCheck()["n"]?.isClean == true)
    }
}
