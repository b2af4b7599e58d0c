import Foundation
import NIOConcurrencyHelpers
import XCTest
@testable import MatchRPC

final class WorkerPoolTests: XCTestCase {
    private func job(_ results: NIOLockedValueBox<[String]>, _ name: String, image: String = "face:1",
                     done: XCTestExpectation) -> WorkerPool.Job {
        WorkerPool.Job(
            run: { analyzers in
                let faces = (try? analyzers.analyzer(for: .serviceDefault).analyze(imageBytes: Array(image.utf8), shouldStop: { false }).faces.count) ?? -1
                results.withLockedValue { $0.append("\(name) ran faces=\(faces)") }
                return { done.fulfill() }
            },
            reject: { reason in
                results.withLockedValue { $0.append("\(name) rejected \(reason)") }
                done.fulfill()
            })
    }

    func testRunsJobsOnWorkerThreadsWithTheirAnalyzer() throws {
        let pool = WorkerPool(engines: .uniform(FakeAnalyzerFactory()), workers: 2, capacity: 8)
        try pool.start()
        let results = NIOLockedValueBox<[String]>([])
        let done = expectation(description: "all ran")
        done.expectedFulfillmentCount = 4
        for i in 0..<4 { pool.submit(job(results, "j\(i)", done: done), deadline: nil) }
        wait(for: [done], timeout: 10)
        XCTAssertEqual(results.withLockedValue { $0 }.sorted(), (0..<4).map { "j\($0) ran faces=1" })
        let drained = expectation(description: "drained")
        pool.shutdown { drained.fulfill() }
        wait(for: [drained], timeout: 10)
    }

    func testOverflowIsRejectedAtOnceAndExpiredCallsNeverRun() throws {
        let gate = Gate()
        let clock = NIOLockedValueBox<UInt64>(1_000)
        let pool = WorkerPool(engines: .uniform(FakeAnalyzerFactory(gate: gate)), workers: 1, capacity: 2,
                              now: { clock.withLockedValue { $0 } })
        try pool.start()
        let results = NIOLockedValueBox<[String]>([])
        let done = expectation(description: "answered")
        done.expectedFulfillmentCount = 4
        pool.submit(job(results, "running", image: "block", done: done), deadline: nil)
        XCTAssertTrue(gate.waitForArrivals(1))
        pool.submit(job(results, "expires", done: done), deadline: 2_000)
        let cancelled = pool.submit(job(results, "cancelled", done: done), deadline: 5_000)
        pool.submit(job(results, "overflow", done: done), deadline: nil)
        XCTAssertEqual(results.withLockedValue { $0 }, ["overflow rejected full(capacity: 2)"], "rejected before any worker is free")
        XCTAssertEqual(pool.snapshot.waiting, 2)
        guard let cancelled else { return XCTFail("a waiting call has a ticket") }
        XCTAssertTrue(pool.withdraw(cancelled), "a waiting call can be withdrawn")
        XCTAssertFalse(pool.withdraw(cancelled), "only once")
        pool.submit(job(results, "late", done: done), deadline: 1_000)
        clock.withLockedValue { $0 = 3_000 }
        gate.open()
        wait(for: [done], timeout: 10)
        XCTAssertEqual(results.withLockedValue { $0 }, [
            "overflow rejected full(capacity: 2)",
            "late rejected deadlinePassed",
            "running ran faces=1",
            "expires rejected deadlinePassed",
        ])
        awaitDrain(pool)
    }

    /// A client that sends its next call the moment an answer arrives must find the worker free:
    /// the answer is delivered only after the pool counted the worker free again.
    func testAnswerIsDeliveredOnlyOnceTheWorkerCountsAsFree() throws {
        // A budget no call fits once one is running: any call seen as "behind a busy worker" is refused.
        let pool = WorkerPool(engines: .uniform(FakeAnalyzerFactory()), workers: 1, capacity: 4, latencyBudget: 1)
        try pool.start()
        let seen = NIOLockedValueBox<[String]>([])
        let answered = DispatchSemaphore(value: 0)
        for i in 0..<3 {
            let job = WorkerPool.Job(
                run: { analyzers in
                    _ = try? analyzers.analyzer(for: .serviceDefault).analyze(imageBytes: Array("slow:2".utf8))
                    return {
                        let (waiting, running) = pool.snapshot
                        let refusal = pool.refusal(deadline: nil)
                        seen.withLockedValue { $0.append("call \(i): running \(running), waiting \(waiting), refusal \(String(describing: refusal))") }
                        answered.signal()
                    }
                },
                reject: { reason in
                    seen.withLockedValue { $0.append("call \(i) rejected \(reason)") }
                    answered.signal()
                })
            // Sequential: the next call is submitted only once the previous answer was delivered.
            pool.submit(job, deadline: nil)
            XCTAssertEqual(answered.wait(timeout: .now() + 10), .success)
        }
        XCTAssertEqual(seen.withLockedValue { $0 }, (0..<3).map { "call \($0): running 0, waiting 0, refusal nil" })
        awaitDrain(pool)
    }

    func testShutdownDrainsAdmittedCallsAndRefusesNewOnes() throws {
        let gate = Gate()
        let pool = WorkerPool(engines: .uniform(FakeAnalyzerFactory(gate: gate)), workers: 2, capacity: 16)
        try pool.start()
        let results = NIOLockedValueBox<[String]>([])
        let done = expectation(description: "answered")
        done.expectedFulfillmentCount = 11
        for i in 0..<10 { pool.submit(job(results, "j\(i)", image: "block", done: done), deadline: nil) }
        XCTAssertTrue(gate.waitForArrivals(2))
        let drained = expectation(description: "drained")
        pool.shutdown { drained.fulfill() }
        pool.submit(job(results, "after", done: done), deadline: nil)
        XCTAssertEqual(results.withLockedValue { $0 }, ["after rejected shuttingDown"])
        gate.open()
        wait(for: [done, drained], timeout: 10)
        XCTAssertEqual(results.withLockedValue { $0 }.filter { $0.hasSuffix("ran faces=1") }.count, 10)
    }

    func testStartFailsWhenAnAnalyzerCannotBeMade() {
        struct Broken: FaceAnalyzerFactory {
            struct Failure: Error {}
            var modelID: String { "broken" }
            func makeAnalyzer() throws -> any FaceAnalyzing { throw Failure() }
        }
        let pool = WorkerPool(engines: .uniform(Broken()), workers: 2, capacity: 2)
        XCTAssertThrowsError(try pool.start())
    }

    private func awaitDrain(_ pool: WorkerPool) {
        let drained = expectation(description: "drained")
        pool.shutdown { drained.fulfill() }
        wait(for: [drained], timeout: 10)
    }
}
