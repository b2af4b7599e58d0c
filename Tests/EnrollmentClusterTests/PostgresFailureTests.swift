import XCTest
@testable import EnrollmentCluster

final class PostgresFailureTests: XCTestCase {
    private struct SocketGone: Error {}

    func testRefusalsAreNotRetriedButOutagesAre() {
        XCTAssertTrue(PostgresFailure.isTransient(ClusterError.unavailable("timeout")))
        XCTAssertTrue(PostgresFailure.isTransient(SocketGone()))
        XCTAssertTrue(PostgresFailure.isTransient(CancellationError()))
        XCTAssertFalse(PostgresFailure.isTransient(ClusterError.dimensionMismatch(model: "m", subject: "a/b", expected: 128, found: 256)))
        XCTAssertFalse(PostgresFailure.isTransient(ClusterError.schema("newer migration")))
        XCTAssertFalse(PostgresFailure.isTransient(ClusterError.badURL("no host")))
    }
}
