import Foundation
import Logging
import TemplateCrypto
import XCTest
@testable import EnrollmentCluster
@testable import MatchRPC

/// Retention on PostgreSQL: the sweep, at an injected "now", erases templates created before the
/// cutoff, with the data keys of subjects left with none, on every node through the change feed.
/// Rows are aged by moving their created_at back 40 days (PostgreSQL stamps them at commit).
final class RetentionPostgresTests: PostgresTestCase {
    func testASweepErasesTemplatesOlderThanRetentionOnEveryNode() throws {
        let key = MasterKey.random()
        let a = try startNode(key), b = try startNode(key)
        for ns in ["month", "forever"] {
            for (subject, seed) in [("old", 1), ("mixed", 2), ("mixed", 3), ("fresh", 4)] {
                _ = try a.enroll(namespace: ns, subject: subject, vector: vector(seed), vendorData: [], mode: .append)
            }
        }
        try postgres.sql(url, """
            UPDATE facematch_templates SET created_at = now() - interval '40 days'
            WHERE subject = 'old' OR (subject = 'mixed' AND ord = 1)
            """)
        let registry = ApplicationRegistry([
            Application(id: "month", keyDigest: APIKeyDigest(key: "m"), retentionDays: 30),
            Application(id: "forever", keyDigest: APIKeyDigest(key: "f")),
        ])
        let metrics = MetricsRegistry()
        let sweep = RetentionSweep(stores: ModelStores([.dlib: a]), registry: registry, metrics: metrics, logger: logger)

        XCTAssertEqual(sweep.run(now: Date()), ["month": 2])
        XCTAssertEqual(metrics.retentionErasedCount(application: "month"), 2)
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_data_keys WHERE namespace = 'month' AND subject = 'old'"), 0,
                       "a subject left without templates loses its data key")
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_data_keys WHERE namespace = 'month'"), 2)
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_templates WHERE namespace = 'forever'"), 4, "no retention: untouched")

        XCTAssertTrue(b.state.waitApplied(a.state.appliedPosition, timeout: 30), "the follower reads the erasure from the feed")
        for node in [a, b] {
            XCTAssertNil(try node.bestDistance(namespace: "month", subject: "old", vector: vector(1)))
            XCTAssertEqual(try node.enrollmentCount(namespace: "month", subject: "mixed"), 1)
            XCTAssertEqual(try node.bestDistance(namespace: "month", subject: "mixed", vector: vector(3)) ?? -1, 0, accuracy: 1e-6)
            XCTAssertEqual(try node.enrollmentCount(namespace: "month", subject: "fresh"), 1)
            XCTAssertEqual(try node.enrollmentCount(namespace: "forever", subject: "old"), 1)
        }
        XCTAssertEqual(sweep.run(now: Date()), ["month": 0], "nothing left to erase")
    }
}
