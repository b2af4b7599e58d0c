import Foundation
import TemplateCrypto
import XCTest
@testable import EnrollmentCluster
@testable import MatchRPC

/// One cluster, both model families (migration 3): each row carries its model, a node keeps one
/// cache per model, and Delete, retention and master-key rotation reach every model's rows.
final class MultiModelClusterTests: PostgresTestCase {
    private let reid = FaceModelID.reidentification0095

    /// A node serving both models: dlib's store and 0095's, one data folder.
    private func startBoth(_ key: MasterKey, dataDirectory: String? = nil) throws -> (dlib: ClusterStore, reid: ClusterStore) {
        let directory = dataDirectory ?? makeTempDirectory()
        return (try startNode(key, model: .dlib, dataDirectory: directory), try startNode(key, model: reid, dataDirectory: directory))
    }

    private func reidVector(_ seed: Int) -> [Float] { vector(seed, dimension: 256) }

    private func rows(_ sql: String) throws -> [String] {
        try postgres.sql(url, sql).split(separator: "\n").map(String.init)
    }

    func testOneSubjectHoldsTemplatesOfBothModelsEachWithItsOwnKeyAndLimit() throws {
        let node = try startBoth(MasterKey.random())
        XCTAssertEqual(try node.dlib.enroll(namespace: "app", subject: "alice", vector: vector(1), vendorData: [1], mode: .append), 1)
        XCTAssertEqual(try node.reid.enroll(namespace: "app", subject: "alice", vector: reidVector(2), vendorData: [2], mode: .append), 1)
        XCTAssertEqual(try node.reid.enroll(namespace: "app", subject: "alice", vector: reidVector(3), vendorData: [], mode: .append), 2,
                       "the per-subject count is per model")
        XCTAssertEqual(try rows("SELECT model, count(*) FROM facematch_templates GROUP BY model ORDER BY model"),
                       ["\(FaceModelID.dlib.rawValue)|1", "\(reid.rawValue)|2"])
        XCTAssertEqual(try rows("SELECT model FROM facematch_data_keys ORDER BY model"), [FaceModelID.dlib.rawValue, reid.rawValue],
                       "one data key per subject and model")
        XCTAssertEqual(try node.dlib.bestDistance(namespace: "app", subject: "alice", vector: vector(1)) ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(try node.reid.bestDistance(namespace: "app", subject: "alice", vector: reidVector(3)) ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(try node.dlib.enrollmentCount(namespace: "app", subject: "alice"), 1)

        let dlibKey = try rows("SELECT encode(wrapped_key, 'hex') FROM facematch_data_keys WHERE model = '\(FaceModelID.dlib.rawValue)'")
        XCTAssertEqual(try node.reid.enroll(namespace: "app", subject: "alice", vector: reidVector(4), vendorData: [], mode: .replace), 1)
        XCTAssertEqual(try rows("SELECT encode(wrapped_key, 'hex') FROM facematch_data_keys WHERE model = '\(FaceModelID.dlib.rawValue)'"),
                       dlibKey, "a replace of one model leaves the other model's key and templates")
        XCTAssertEqual(try node.dlib.enrollmentCount(namespace: "app", subject: "alice"), 1)

        XCTAssertTrue(try node.dlib.delete(namespace: "app", subject: "alice"))
        XCTAssertEqual(try rows("SELECT model FROM facematch_templates"), [reid.rawValue], "Delete of one model's store erases that model")
        XCTAssertEqual(try node.reid.enrollmentCount(namespace: "app", subject: "alice"), 1)
        XCTAssertFalse(try node.dlib.delete(namespace: "app", subject: "alice"))
    }

    func testASecondNodeFollowsBothModelsAndEachCacheIsRebuiltFromPostgreSQL() throws {
        let key = MasterKey.random()
        let a = try startBoth(key), b = try startBoth(key)
        _ = try a.dlib.enroll(namespace: "app", subject: "alice", vector: vector(11), vendorData: [], mode: .append)
        _ = try a.reid.enroll(namespace: "app", subject: "alice", vector: reidVector(12), vendorData: [], mode: .append)
        _ = try a.reid.enroll(namespace: "app", subject: "bob", vector: reidVector(13), vendorData: [], mode: .append)
        XCTAssertTrue(b.dlib.state.waitApplied(a.dlib.state.appliedPosition, timeout: 30))
        XCTAssertTrue(b.reid.state.waitApplied(a.reid.state.appliedPosition, timeout: 30))
        XCTAssertEqual(try b.dlib.bestDistance(namespace: "app", subject: "alice", vector: vector(11)) ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(try b.reid.bestDistance(namespace: "app", subject: "alice", vector: reidVector(12)) ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(try b.reid.enrollmentCount(namespace: "app", subject: "bob"), 1)
        XCTAssertEqual(try b.dlib.enrollmentCount(namespace: "app", subject: "bob"), 0, "bob has no dlib template")

        XCTAssertTrue(try b.reid.delete(namespace: "app", subject: "bob"))
        XCTAssertTrue(a.reid.state.waitApplied(b.reid.state.appliedPosition, timeout: 30))
        XCTAssertNil(try a.reid.bestDistance(namespace: "app", subject: "bob", vector: reidVector(13)))

        // A new node builds both caches from PostgreSQL, each in its model's folder.
        let directory = makeTempDirectory()
        let c = try startBoth(key, dataDirectory: directory)
        XCTAssertEqual(ClusterNode.cacheDirectory(dataDirectory: directory, model: .dlib), directory + "/cluster-cache")
        let reidCache = ClusterNode.cacheDirectory(dataDirectory: directory, model: reid)
        XCTAssertEqual(reidCache, directory + "/models/\(reid.rawValue)/cluster-cache")
        XCTAssertNotNil(CacheMarker.read(directory: reidCache))
        XCTAssertEqual(try c.dlib.bestDistance(namespace: "app", subject: "alice", vector: vector(11)) ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(try c.reid.bestDistance(namespace: "app", subject: "alice", vector: reidVector(12)) ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(try c.reid.stats(namespace: "app").vectors, 1)

        // One model's cache lost: rebuilt at the next start, from that model's rows only.
        try c.reid.close()
        try FileManager.default.removeItem(atPath: reidCache)
        let restarted = try startNode(key, model: reid, dataDirectory: directory)
        XCTAssertEqual(try restarted.bestDistance(namespace: "app", subject: "alice", vector: reidVector(12)) ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(try restarted.stats(namespace: "app").vectors, 1)
    }

    /// Delete, retention and rotation over both models' rows; a dump then holds no vector of
    /// either model (the byte search is first shown to find a 256-value vector stored in plaintext).
    func testErasureRetentionAndRotationCoverBothModels() throws {
        let old = MasterKey.random(), new = MasterKey.random()
        let a = try startBoth(old)
        let dlibVectors = ["alice": vector(21), "carol": vector(22), "erin": vector(26)]
        let reidVectors = ["alice": reidVector(23), "carol": reidVector(24), "dave": reidVector(25)]
        for (subject, v) in dlibVectors { _ = try a.dlib.enroll(namespace: "app", subject: subject, vector: v, vendorData: [], mode: .append) }
        for (subject, v) in reidVectors { _ = try a.reid.enroll(namespace: "app", subject: subject, vector: v, vendorData: [], mode: .append) }

        try postgres.sql(url, "CREATE TABLE control (v bytea); INSERT INTO control VALUES ('\\x\(PostgresDump.hex(plaintextBytes(reidVectors["dave"]!)))')")
        XCTAssertTrue(dumpHolds(try postgres.dump(url), reidVectors["dave"]!), "control: the search finds a plaintext 256-value vector")
        try postgres.sql(url, "DROP TABLE control")

        let service = MatchService(stores: ModelStores([.dlib: a.dlib, reid: a.reid]))
        try service.delete(subject: "alice", for: Application(id: "app", keyDigest: APIKeyDigest(key: "k"), model: reid))
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_templates WHERE subject = 'alice'"), 0, "Delete erases every model")
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_data_keys WHERE subject = 'alice'"), 0)

        try postgres.sql(url, "UPDATE facematch_templates SET created_at = now() - interval '40 days' WHERE subject = 'carol'")
        let registry = ApplicationRegistry([Application(id: "app", keyDigest: APIKeyDigest(key: "k"), model: reid, retentionDays: 30)])
        let sweep = RetentionSweep(stores: ModelStores([.dlib: a.dlib, reid: a.reid]), registry: registry, metrics: MetricsRegistry(),
                                   logger: logger)
        XCTAssertEqual(sweep.run(now: Date()), ["app": 2], "carol's template of each model")
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_data_keys WHERE subject = 'carol'"), 0)
        XCTAssertNil(try a.reid.bestDistance(namespace: "app", subject: "carol", vector: reidVectors["carol"]!))
        XCTAssertNil(try a.dlib.bestDistance(namespace: "app", subject: "carol", vector: dlibVectors["carol"]!))

        let url = self.url, logger = self.logger
        XCTAssertEqual(try wait { try await MasterKeyRotation.rotate(url: url, from: old, to: new, logger: logger) }.rewrapped, 2,
                       "erin's dlib key and dave's 0095 key")
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_data_keys WHERE master_key_id <> '\\x\(PostgresDump.hex(new.id.bytes))'"), 0)

        let dump = try postgres.dump(url)
        for v in Array(dlibVectors.values) + Array(reidVectors.values) {
            XCTAssertFalse(dumpHolds(dump, v), "a dump holds no vector of either model")
        }
        let restarted = try startBoth(new)
        XCTAssertEqual(try restarted.dlib.bestDistance(namespace: "app", subject: "erin", vector: dlibVectors["erin"]!) ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(try restarted.reid.bestDistance(namespace: "app", subject: "dave", vector: reidVectors["dave"]!) ?? -1, 0, accuracy: 1e-6)
    }

    /// A database as migration 2 left it (one model, dlib's, claimed by the cluster; sealed rows
    /// and keys without a model column): migration 3 gives its rows dlib's id, they still open and
    /// verify, and the same subject can then enrol with the other model.
    func testADatabaseOfTheDlibOnlyVersionKeepsWorking() throws {
        try postgres.sql(url, (Migrations.all[0].statements + Migrations.all[1].statements).joined(separator: ";\n") + """
            ;
            CREATE TABLE facematch_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO facematch_schema_migrations (version) VALUES (1), (2);
            UPDATE facematch_cluster SET model_id = '\(FaceModelID.dlib.rawValue)';
            """)
        let key = MasterKey.random()
        let sealing = TemplateSealing(masterKey: key, model: .dlib)
        let dataKey = sealing.newKey(namespace: "app", subject: "alice")
        let sealed = sealing.seal(vector(31), with: dataKey, namespace: "app", subject: "alice")
        try postgres.sql(url, """
            SELECT * FROM facematch_enroll('app', 'alice', '\\x\(PostgresDump.hex(sealed))'::bytea, '\\x07'::bytea, false, 3,
                '\\x\(PostgresDump.hex(dataKey.wrapped))'::bytea, '\\x\(PostgresDump.hex(key.id.bytes))'::bytea, true)
            """)

        let node = try startBoth(key)
        XCTAssertEqual(try count("SELECT max(version) FROM facematch_schema_migrations"), 3)
        for table in ["facematch_templates", "facematch_data_keys", "facematch_changes"] {
            XCTAssertEqual(try rows("SELECT DISTINCT model FROM \(table)"), [FaceModelID.dlib.rawValue], table)
        }
        XCTAssertEqual(try node.dlib.bestDistance(namespace: "app", subject: "alice", vector: vector(31)) ?? -1, 0, accuracy: 1e-6)
        XCTAssertEqual(try node.dlib.cache.templates(namespace: "app", subject: "alice").first?.vendorData, [7])
        XCTAssertEqual(try node.dlib.enroll(namespace: "app", subject: "alice", vector: vector(32), vendorData: [], mode: .append), 2)
        XCTAssertEqual(try node.reid.enroll(namespace: "app", subject: "alice", vector: reidVector(33), vendorData: [], mode: .append), 1)
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_templates WHERE subject = 'alice'"), 3)
    }

    func testATemplateOfTheWrongDimensionIsRefusedAtWriteAndAtRead() throws {
        let key = MasterKey.random()
        let node = try startBoth(key)
        XCTAssertThrowsError(try node.dlib.enroll(namespace: "app", subject: "mallory", vector: reidVector(41), vendorData: [], mode: .append)) {
            XCTAssertEqual($0 as? ServiceError, .invalidArgument(
                "a template of app/mallory for model \(FaceModelID.dlib.rawValue) has 256 values; the model's templates have 128"))
        }
        XCTAssertThrowsError(try node.reid.enroll(namespace: "app", subject: "mallory", vector: vector(42), vendorData: [], mode: .append)) {
            XCTAssertEqual($0 as? ServiceError, .invalidArgument(
                "a template of app/mallory for model \(reid.rawValue) has 128 values; the model's templates have 256"))
        }
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_templates"), 0, "nothing reached PostgreSQL")

        // A writer that bypassed the check (another build, a hand-made row): a node reading it refuses by name.
        let sealing = TemplateSealing(masterKey: key, model: .dlib)
        let dataKey = sealing.newKey(namespace: "app", subject: "mallory")
        let sealed = sealing.seal(reidVector(43), with: dataKey, namespace: "app", subject: "mallory")
        try postgres.sql(url, """
            SELECT * FROM facematch_enroll('app', 'mallory', '\(FaceModelID.dlib.rawValue)', '\\x\(PostgresDump.hex(sealed))'::bytea,
                '\\x'::bytea, false, 3, '\\x\(PostgresDump.hex(dataKey.wrapped))'::bytea, '\\x\(PostgresDump.hex(key.id.bytes))'::bytea, true)
            """)
        XCTAssertThrowsError(try startNode(key, model: .dlib)) {
            XCTAssertEqual($0 as? ClusterError, .dimensionMismatch(model: FaceModelID.dlib.rawValue, subject: "app/mallory",
                                                                   expected: 128, found: 256))
        }
    }

    /// `previous_model` on a cluster: Verify falls back to the dlib template, an Approved match
    /// enrols the 0095 template in PostgreSQL (so every node has it), and the waiting count falls.
    func testVerifyDuringAMigrationEnrolsTheNewModelInTheCluster() throws {
        let key = MasterKey.random()
        let a = try startBoth(key), b = try startBoth(key)
        let service = MatchService(stores: ModelStores([.dlib: a.dlib, reid: a.reid]))
        let analyzers = ModelAnalyzers(analyzers: [.dlib: AxisAnalyzer(dimension: 128), reid: AxisAnalyzer(dimension: 256)])
        let bank = Application(id: "bank", keyDigest: APIKeyDigest(key: "b"), model: reid, previousModel: .dlib)
        for (subject, axis) in [("alice", 4), ("bob", 6)] {
            _ = try a.dlib.enroll(namespace: "bank", subject: subject, vector: AxisAnalyzer.embedding(axis: axis, dimension: 128),
                                  vendorData: [], mode: .append)
        }
        XCTAssertEqual(service.migration.waitingSubjects(bank), 2)

        let report = try service.verify(subject: "alice", image: Array("face:4".utf8), for: bank, analyzers: analyzers)
        XCTAssertEqual(report.status, .approved)
        XCTAssertEqual(report.model, .dlib, "decided with the previous model's template")
        XCTAssertTrue(report.warnings.contains { $0.risk == .templateMigrated })
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_templates WHERE subject = 'alice' AND model = '\(reid.rawValue)'"), 1)
        XCTAssertEqual(service.migration.waitingSubjects(bank), 1, "only bob still waits")

        XCTAssertTrue(b.reid.state.waitApplied(a.reid.state.appliedPosition, timeout: 30))
        let probe = AxisAnalyzer.embedding(axis: 4, dimension: 256)
        XCTAssertEqual(try b.reid.bestDistance(namespace: "bank", subject: "alice", vector: probe) ?? -1, 0, accuracy: 1e-6,
                       "the migrated template reached the other node")
        let again = try service.verify(subject: "alice", image: Array("face:4".utf8), for: bank, analyzers: analyzers)
        XCTAssertEqual(again.model, reid, "the new template decides from now on")
    }
}
