import XCTest
@testable import EnrollmentCluster

final class PostgresFailureTests: XCTestCase {
    private struct SocketGone: Error {}

    func testRefusalsAreNotRetriedButOutagesAre() {
        XCTAssertTrue(PostgresFailure.isTransient(ClusterError.unavailable("timeout")))
        XCTAssertTrue(PostgresFailure.isTransient(SocketGone()))
        XCTAssertTrue(PostgresFailure.isTransient(CancellationError()))
        XCTAssertFalse(PostgresFailure.isTransient(ClusterError.modelMismatch(database: "a", node: "b")))
        XCTAssertFalse(PostgresFailure.isTransient(ClusterError.schema("newer migration")))
        XCTAssertFalse(PostgresFailure.isTransient(ClusterError.badURL("no host")))
    }
}
