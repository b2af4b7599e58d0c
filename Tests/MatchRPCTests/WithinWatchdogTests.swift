import Foundation
import Synchronization
import XCTest

/// The test suite's own watchdog must fail a body that never finishes and ignores cancellation,
/// or a hung server would hang CI instead of failing it.
final class WithinWatchdogTests: XCTestCase {
    func testABodyThatIgnoresCancellationTimesOut() async throws {
        let parked = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let started = ContinuousClock.now
        do {
            _ = try await within(0.3) {
                await withCheckedContinuation { continuation in parked.withLock { $0 = continuation } }
                return 1
            }
            XCTFail("a body that never finishes must time out")
        } catch let error as TimedOut {
            XCTAssertEqual(error.seconds, 0.3)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5), "returned at the limit, not when the body ended")
        parked.withLock { $0 }?.resume()
    }

    func testAFinishedBodyReturnsItsValue() async throws {
        let value = try await within(5) { 42 }
        XCTAssertEqual(value, 42)
    }
}
