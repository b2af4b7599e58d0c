import XCTest
@testable import MatchRPC

final class AdmissionQueueTests: XCTestCase {
    private typealias Queue = AdmissionQueue<String>

    private func ticket(_ outcome: Queue.SubmitOutcome, file: StaticString = #filePath, line: UInt = #line) -> Queue.Ticket? {
        if case .queued(let ticket) = outcome { return ticket }
        XCTFail("expected queued, got \(outcome)", file: file, line: line)
        return nil
    }

    private func rejection(_ outcome: Queue.SubmitOutcome) -> Queue.Rejection? {
        if case .rejected(let reason, _) = outcome { return reason }
        return nil
    }

    private func ran(_ result: (expired: [String], outcome: Queue.TakeOutcome)) -> String? {
        if case .run(let job) = result.outcome { return job }
        return nil
    }

    func testRunsInArrivalOrder() {
        var queue = Queue(capacity: 4)
        _ = ticket(queue.submit("a", deadline: nil, now: 0))
        _ = ticket(queue.submit("b", deadline: nil, now: 0))
        XCTAssertEqual(queue.depth, 2)
        XCTAssertEqual(ran(queue.take(now: 1)), "a")
        XCTAssertEqual(ran(queue.take(now: 1)), "b")
        XCTAssertEqual(queue.running, 2)
        guard case .wait = queue.take(now: 1).outcome else { return XCTFail("empty queue should wait") }
    }

    func testFullQueueRejectsAtOnceAndAdmitsAgainWhenAWorkerTakesOne() {
        var queue = Queue(capacity: 2)
        _ = ticket(queue.submit("a", deadline: nil, now: 0))
        _ = ticket(queue.submit("b", deadline: nil, now: 0))
        XCTAssertEqual(rejection(queue.submit("c", deadline: nil, now: 0)), .full(capacity: 2))
        XCTAssertEqual(ran(queue.take(now: 0)), "a")
        // Running calls do not count against the waiting capacity.
        _ = ticket(queue.submit("c", deadline: nil, now: 0))
        XCTAssertEqual(queue.depth, 2)
    }

    func testZeroCapacityRejectsEverything() {
        var queue = Queue(capacity: 0)
        XCTAssertEqual(rejection(queue.submit("a", deadline: nil, now: 0)), .full(capacity: 0))
    }

    func testAlreadyPassedDeadlineIsRejected() {
        var queue = Queue(capacity: 4)
        XCTAssertEqual(rejection(queue.submit("a", deadline: 100, now: 100)), .deadlinePassed)
        XCTAssertEqual(queue.depth, 0)
    }

    func testCallExpiredWhileWaitingIsHandedBackNotRun() {
        var queue = Queue(capacity: 4)
        _ = ticket(queue.submit("late", deadline: 50, now: 0))
        _ = ticket(queue.submit("fine", deadline: 500, now: 0))
        _ = ticket(queue.submit("none", deadline: nil, now: 0))
        let first = queue.take(now: 100)
        XCTAssertEqual(first.expired, ["late"])
        XCTAssertEqual(ran(first), "fine")
        XCTAssertEqual(queue.running, 1)
        let second = queue.take(now: 10_000)
        XCTAssertEqual(second.expired, [])
        XCTAssertEqual(ran(second), "none")
    }

    func testCancelRemovesOnlyAWaitingCall() {
        var queue = Queue(capacity: 4)
        guard let a = ticket(queue.submit("a", deadline: nil, now: 0)),
              let b = ticket(queue.submit("b", deadline: nil, now: 0)) else { return }
        XCTAssertEqual(ran(queue.take(now: 0)), "a")
        XCTAssertNil(queue.cancel(a), "a call already running cannot be cancelled")
        XCTAssertEqual(queue.cancel(b), "b")
        XCTAssertNil(queue.cancel(b))
        XCTAssertEqual(queue.depth, 0)
    }

    func testShutdownRefusesNewCallsButDrainsWaitingOnes() {
        var queue = Queue(capacity: 4)
        _ = ticket(queue.submit("a", deadline: nil, now: 0))
        _ = ticket(queue.submit("b", deadline: nil, now: 0))
        XCTAssertEqual(ran(queue.take(now: 0)), "a")
        queue.beginShutdown()
        XCTAssertEqual(rejection(queue.submit("c", deadline: nil, now: 0)), .shuttingDown)
        XCTAssertFalse(queue.isDrained)
        XCTAssertEqual(ran(queue.take(now: 0)), "b")
        guard case .finished = queue.take(now: 0).outcome else { return XCTFail("nothing left: finished") }
        XCTAssertFalse(queue.isDrained, "two calls still running")
        queue.finish()
        queue.finish()
        XCTAssertTrue(queue.isDrained)
    }

    func testLongRunCompactsStorageAndKeepsOrder() {
        var queue = Queue(capacity: 1000)
        var taken: [String] = []
        for round in 0..<50 {
            for i in 0..<10 { _ = queue.submit("\(round)-\(i)", deadline: nil, now: 0) }
            for _ in 0..<7 {
                if let job = ran(queue.take(now: 0)) { taken.append(job) }
                queue.finish()
            }
        }
        while let job = ran(queue.take(now: 0)) { taken.append(job); queue.finish() }
        let expected = (0..<50).flatMap { round in (0..<10).map { "\(round)-\($0)" } }
        XCTAssertEqual(taken, expected)
    }
}
