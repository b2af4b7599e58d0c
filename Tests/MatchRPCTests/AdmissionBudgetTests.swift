import XCTest
@testable import MatchRPC

/// The latency-budget rule: refuse at once a call predicted to be answered later than the budget.
final class AdmissionBudgetTests: XCTestCase {
    private typealias Queue = AdmissionQueue<String>
    private let ms: UInt64 = 1_000_000

    private func isQueued(_ outcome: Queue.SubmitOutcome) -> Bool {
        if case .queued = outcome { return true }
        return false
    }

    private func rejection(_ outcome: Queue.SubmitOutcome) -> Queue.Rejection? {
        if case .rejected(let reason, _) = outcome { return reason }
        return nil
    }

    /// One call of `runTime` taken and finished, so the queue has an estimate.
    private func learn(_ queue: inout Queue, runTime: UInt64) {
        XCTAssertTrue(isQueued(queue.submit("warm-up", deadline: nil, now: 0)))
        _ = queue.take(now: 0)
        queue.finish(runTime: runTime)
    }

    func testNoEstimateAdmitsUpToCapacity() {
        var queue = Queue(capacity: 3, workers: 1, latencyBudget: 100 * ms)
        for job in ["a", "b", "c"] { XCTAssertTrue(isQueued(queue.submit(job, deadline: nil, now: 0))) }
        XCTAssertEqual(rejection(queue.submit("d", deadline: nil, now: 0)), .full(capacity: 3))
    }

    func testRefusesWhenPredictedAnswerIsOverBudget() {
        // Two workers, 100 ms per call, 300 ms budget.
        var queue = Queue(capacity: 100, workers: 2, latencyBudget: 300 * ms)
        learn(&queue, runTime: 100 * ms)
        XCTAssertEqual(queue.runTimeEstimate, 100 * ms)
        // Both workers free: the first two start at once.
        XCTAssertTrue(isQueued(queue.submit("a", deadline: nil, now: 0)))
        XCTAssertTrue(isQueued(queue.submit("b", deadline: nil, now: 0)))
        _ = queue.take(now: 0)
        _ = queue.take(now: 0)
        XCTAssertEqual(queue.predictedLatency, 125 * ms)
        // Each waiting call adds half a run (two workers) to the next one's prediction.
        XCTAssertTrue(isQueued(queue.submit("c", deadline: nil, now: 0)))   // predicted 125 ms
        XCTAssertTrue(isQueued(queue.submit("d", deadline: nil, now: 0)))   // 175 ms
        XCTAssertTrue(isQueued(queue.submit("e", deadline: nil, now: 0)))   // 225 ms
        XCTAssertTrue(isQueued(queue.submit("f", deadline: nil, now: 0)))   // 275 ms
        XCTAssertEqual(queue.predictedLatency, 325 * ms)
        XCTAssertEqual(rejection(queue.submit("g", deadline: nil, now: 0)),
                       .overBudget(predictedMilliseconds: 325, budgetMilliseconds: 300))
        XCTAssertEqual(queue.depth, 4)
        // A worker finishing frees room again.
        XCTAssertEqual(queue.take(now: 0).outcome.job, "c")
        queue.finish(runTime: 100 * ms)
        XCTAssertTrue(isQueued(queue.submit("g", deadline: nil, now: 0)))
    }

    func testCallThatCanStartAtOnceIsAdmittedEvenWhenSlowerThanTheBudget() {
        var queue = Queue(capacity: 10, workers: 2, latencyBudget: 50 * ms)
        learn(&queue, runTime: 200 * ms)
        XCTAssertTrue(isQueued(queue.submit("a", deadline: nil, now: 0)))
        _ = queue.take(now: 0)
        XCTAssertTrue(isQueued(queue.submit("b", deadline: nil, now: 0)), "a worker is free")
        _ = queue.take(now: 0)
        XCTAssertNotNil(rejection(queue.submit("c", deadline: nil, now: 0)), "both busy, 200 ms > 50 ms")
    }

    func testEstimateFollowsRunTimes() {
        var queue = Queue(capacity: 10, workers: 1, latencyBudget: 1000 * ms)
        learn(&queue, runTime: 100 * ms)
        for _ in 0..<20 { learn(&queue, runTime: 20 * ms) }
        let estimate = try! XCTUnwrap(queue.runTimeEstimate)
        XCTAssertLessThan(estimate, 21 * ms)
        XCTAssertGreaterThanOrEqual(estimate, 20 * ms - 1000)
    }

    func testRetryAfterIsTheTimeForEnoughCallsToFinish() {
        var queue = Queue(capacity: 100, workers: 2, latencyBudget: 300 * ms)
        XCTAssertNil(queue.retryAfter, "no estimate yet")
        learn(&queue, runTime: 100 * ms)
        for job in ["a", "b"] { _ = queue.submit(job, deadline: nil, now: 0); _ = queue.take(now: 0) }
        for job in ["c", "d", "e", "f"] { XCTAssertTrue(isQueued(queue.submit(job, deadline: nil, now: 0))) }
        // What a client sees: refused now, told to wait 50 ms (two workers finishing a 100 ms call
        // each, so one completion every 50 ms), and admitted once that one completion happened.
        XCTAssertNotNil(queue.refusal(deadline: nil, now: 0))
        XCTAssertEqual(queue.retryAfter, 50 * ms)
        queue.finish(runTime: 100 * ms)
        _ = queue.take(now: 0)
        XCTAssertNil(queue.refusal(deadline: nil, now: 0), "the retry after one completion is admitted")

        var bounded = Queue(capacity: 2, workers: 1)
        learn(&bounded, runTime: 100 * ms)
        for job in ["a", "b"] { XCTAssertTrue(isQueued(bounded.submit(job, deadline: nil, now: 0))) }
        _ = bounded.take(now: 0)
        XCTAssertTrue(isQueued(bounded.submit("c", deadline: nil, now: 0)))
        XCTAssertEqual(bounded.refusal(deadline: nil, now: 0), .full(capacity: 2))
        // One run (100 ms) frees a waiting slot: the retry after it is admitted.
        XCTAssertEqual(bounded.retryAfter, 100 * ms)
        bounded.finish(runTime: 100 * ms)
        _ = bounded.take(now: 0)
        XCTAssertNil(bounded.refusal(deadline: nil, now: 0))
    }

    func testWithoutBudgetOnlyCapacityRefuses() {
        var queue = Queue(capacity: 5, workers: 1)
        learn(&queue, runTime: 10_000 * ms)
        for i in 0..<5 { XCTAssertTrue(isQueued(queue.submit("\(i)", deadline: nil, now: 0))) }
        XCTAssertEqual(rejection(queue.submit("x", deadline: nil, now: 0)), .full(capacity: 5))
    }
}

private extension AdmissionQueue.TakeOutcome {
    var job: Job? {
        if case .run(let job) = self { return job }
        return nil
    }
}
