import XCTest
@testable import EnrollmentCluster

final class BlockingAwaitTests: XCTestCase {
    private struct GaveUp: Error {}

    func testReturnsTheValueAndRethrowsTheError() throws {
        XCTAssertEqual(try blockingAwait(timeout: .seconds(10), onTimeout: GaveUp()) { 42 }, 42)
        XCTAssertThrowsError(try blockingAwait(timeout: .seconds(10), onTimeout: GaveUp()) { () async throws -> Int in
            throw ClusterError.unavailable("down")
        }) { XCTAssertEqual($0 as? ClusterError, .unavailable("down")) }
    }

    func testGivesUpAfterTheTimeoutAndCancelsTheWork() throws {
        let cancelled = expectation(description: "work cancelled")
        XCTAssertThrowsError(try blockingAwait(timeout: .milliseconds(50), onTimeout: GaveUp()) { () async throws -> Int in
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                cancelled.fulfill()
                throw error
            }
            return 0
        }) { XCTAssertTrue($0 is GaveUp) }
        wait(for: [cancelled], timeout: 10)
    }
}
