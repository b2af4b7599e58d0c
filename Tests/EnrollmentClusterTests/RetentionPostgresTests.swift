import Foundation
import Logging
import TemplateCrypto
import XCTest
@testable import EmbeddingStore
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

    /// A subject that keeps a newer template is re-keyed by the sweep (its kept rows sealed again,
    /// its key row replaced, one transaction): a dump taken before the sweep, once the master key
    /// is rotated and the old one destroyed, yields nothing of the expired template with any key
    /// that exists. The kept template keeps its created_at and vendor_data and verifies on every
    /// node, whose caches re-key the subject too.
    func testASweepReKeysASubjectThatKeepsTemplatesSoADumpLosesTheExpiredOne() throws {
        var oldKey: MasterKey? = MasterKey.random()
        let newKey = MasterKey.random()
        let a = try startNode(oldKey!), b = try startNode(oldKey!)
        _ = try a.enroll(namespace: "month", subject: "mixed", vector: vector(51), vendorData: [1], mode: .append)
        _ = try a.enroll(namespace: "month", subject: "mixed", vector: vector(52), vendorData: [2], mode: .append)
        try postgres.sql(url, "UPDATE facematch_templates SET created_at = now() - interval '40 days' WHERE ord = 1")
        let kept = { try self.postgres.sql(self.url, "SELECT ord, created_at, encode(vendor_data, 'hex') FROM facematch_templates") }
        let keptBefore = try kept()
        let keyOf = { try self.postgres.sql(self.url, "SELECT encode(wrapped_key, 'hex') FROM facematch_data_keys WHERE subject = 'mixed'") }
        let keyBefore = try keyOf()
        XCTAssertTrue(b.state.waitApplied(a.state.appliedPosition, timeout: 30))
        let cacheRef = { (node: ClusterStore) in try node.cache.namespace("month", create: false)?.keys.ref(of: "mixed") }
        let cacheRefsBefore = try [a, b].map(cacheRef)
        let backup = try postgres.dump(url)

        let registry = ApplicationRegistry([Application(id: "month", keyDigest: APIKeyDigest(key: "m"), retentionDays: 30)])
        let sweep = RetentionSweep(stores: ModelStores([.dlib: a]), registry: registry, metrics: MetricsRegistry(), logger: logger)
        XCTAssertEqual(sweep.run(now: Date()), ["month": 1])
        XCTAssertEqual(try kept().trimmingCharacters(in: .whitespacesAndNewlines), keptBefore.split(separator: "\n").filter { $0.hasPrefix("2|") }.joined(separator: "\n"),
                       "the kept row keeps its created_at and vendor_data")
        XCTAssertNotEqual(try keyOf(), keyBefore, "the subject has a fresh data key")
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_data_keys"), 1)
        let url = self.url, logger = self.logger, old = oldKey!
        XCTAssertEqual(try wait { try await MasterKeyRotation.rotate(url: url, from: old, to: newKey, logger: logger) }.rewrapped, 1)

        // The backup, read as an attacker would: the old wrapped key and the expired template.
        let wrapped = try XCTUnwrap(PostgresDump.bytea(PostgresDump.rows(backup, table: "facematch_data_keys").first?["wrapped_key"]))
        let expired = try XCTUnwrap(PostgresDump.bytea(PostgresDump.rows(backup, table: "facematch_templates")
            .first { $0["ord"] == "1" }?["vector"]))
        let context = SubjectContext(namespace: "month", subject: "mixed")
        let templateContext = TemplateContext(namespace: "month", subject: "mixed", modelID: FaceModelID.dlib.rawValue)
        XCTAssertEqual(try oldKey!.unwrap(wrapped, for: context).open(expired, dimension: 128, for: templateContext), vector(51),
                       "control: before its destruction the old master key opens the expired template")
        oldKey = nil
        XCTAssertThrowsError(try newKey.unwrap(wrapped, for: context))
        let live = try XCTUnwrap(PostgresDump.bytea("\\\\x" + keyOf().trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertThrowsError(try newKey.unwrap(live, for: context).open(expired, dimension: 128, for: templateContext),
                             "the subject's current data key does not open the expired template")

        XCTAssertTrue(b.state.waitApplied(a.state.appliedPosition, timeout: 30))
        for (node, before) in zip([a, b], cacheRefsBefore) {
            XCTAssertEqual(try node.enrollmentCount(namespace: "month", subject: "mixed"), 1)
            XCTAssertEqual(try node.bestDistance(namespace: "month", subject: "mixed", vector: vector(52)) ?? -1, 0, accuracy: 1e-6)
            let after = try cacheRef(node)
            XCTAssertNotNil(after)
            XCTAssertNotEqual(after, before, "the cache re-keyed the subject")
        }
        let restarted = try startNode(newKey)
        XCTAssertEqual(try restarted.bestDistance(namespace: "month", subject: "mixed", vector: vector(52)) ?? -1, 0, accuracy: 1e-6)
        XCTAssertGreaterThan(try XCTUnwrap(try restarted.bestDistance(namespace: "month", subject: "mixed", vector: vector(51))), 0.1,
                             "only the kept template is enrolled")
    }
}
