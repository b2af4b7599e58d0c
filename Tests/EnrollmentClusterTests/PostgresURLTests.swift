import XCTest
@testable import EnrollmentCluster

final class PostgresURLTests: XCTestCase {
    func testFullURL() throws {
        let url = try PostgresURL("postgres://fm:s%40cret@db.example:6543/facematch?sslmode=verify-full")
        XCTAssertEqual(url.host, "db.example")
        XCTAssertEqual(url.port, 6543)
        XCTAssertEqual(url.username, "fm")
        XCTAssertEqual(url.password, "s@cret")
        XCTAssertEqual(url.database, "facematch")
        XCTAssertEqual(url.sslMode, .verifyFull)
        XCTAssertFalse(url.redacted.contains("cret"))
    }

    func testDefaults() throws {
        let url = try PostgresURL("postgresql://fm@127.0.0.1")
        XCTAssertEqual(url.port, 5432)
        XCTAssertNil(url.password)
        XCTAssertNil(url.database)
        XCTAssertEqual(url.sslMode, .prefer)
    }

    func testBadURLsAreRefusedWithAReason() {
        for text in ["mysql://fm@h/db", "postgres://h/db", "postgres://fm@/db", "postgres://fm@h/db?sslmode=maybe",
                     "postgres://fm@h/db?connect_timeout=3", "not a url"] {
            XCTAssertThrowsError(try PostgresURL(text), text) { error in
                guard case ClusterError.badURL = error else { return XCTFail("\(text): \(error)") }
            }
        }
    }
}
