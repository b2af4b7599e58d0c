import EmbeddingStore
import Foundation
import MatchRPC
import TemplateCrypto
import XCTest
@testable import EnrollmentCluster

/// What PostgreSQL, and so every backup of it, holds: sealed vectors and wrapped keys only.
final class EncryptionAtRestTests: PostgresTestCase {
    /// A database as migration 1 left it holds plaintext vectors, which a dump shows (the control
    /// that the byte search works); a node of this version encrypts them at start, after which
    /// neither they nor new enrolments appear in a dump, and every subject still verifies.
    func testADumpHoldsNoEnrolledVectorOnceANodeHasStarted() throws {
        try postgres.sql(url, Migrations.all[0].statements.joined(separator: ";\n") + """
            ;
            CREATE TABLE facematch_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO facematch_schema_migrations (version) VALUES (1);
            """)
        let carol = vector(11), erin = vector(12)
        for (subject, v) in [("carol", carol), ("erin", erin)] {
            try postgres.sql(url, "SELECT * FROM facematch_enroll('app', '\(subject)', '\\x\(PostgresDump.hex(plaintextBytes(v)))'::bytea, '\\x'::bytea, false, 3)")
        }
        let before = try postgres.dump(url)
        XCTAssertTrue(dumpHolds(before, carol), "control: the search finds a plaintext vector in a dump")
        XCTAssertTrue(dumpHolds(before, erin))

        let node = try startNode(MasterKey.random())
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_templates WHERE NOT sealed"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_data_keys"), 2, "one data key per subject")
        let dave = vector(13)
        XCTAssertEqual(try node.enroll(namespace: "app", subject: "dave", vector: dave, vendorData: [7], mode: .append), 1)
        XCTAssertEqual(try node.enroll(namespace: "app", subject: "carol", vector: vector(14), vendorData: [], mode: .append), 2)

        let after = try postgres.dump(url)
        for v in [carol, erin, dave, vector(14)] {
            XCTAssertFalse(dumpHolds(after, v), "a dump holds no enrolled vector")
        }
        let stored = PostgresDump.rows(after, table: "facematch_templates")
        XCTAssertEqual(stored.count, 4)
        XCTAssertTrue(stored.allSatisfy { PostgresDump.bytea($0["vector"])?.count == SealedTemplate.byteCount(dimension: 128) })
        for (subject, v) in [("carol", carol), ("erin", erin), ("dave", dave)] {
            XCTAssertEqual(try node.bestDistance(namespace: "app", subject: subject, vector: v) ?? -1, 0, accuracy: 1e-6, subject)
        }
    }

    /// Delete, rotate, destroy the old master key: a dump taken before the Delete yields nothing
    /// of the deleted subject with any key that still exists (the new key cannot unwrap the dump's
    /// wrapped key), while the old key, before its destruction, opened it. Live subjects still verify.
    func testErasureReachesADumpTakenBeforeTheDelete() throws {
        var oldKey: MasterKey? = MasterKey.random()
        let newKey = MasterKey.random()
        let node = try startNode(oldKey!)
        let alice = [vector(21), vector(22)], bob = vector(23)
        for v in alice { _ = try node.enroll(namespace: "app", subject: "alice", vector: v, vendorData: [], mode: .append) }
        _ = try node.enroll(namespace: "app", subject: "bob", vector: bob, vendorData: [], mode: .append)
        let backup = try postgres.dump(url)

        XCTAssertTrue(try node.delete(namespace: "app", subject: "alice"))
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_templates WHERE subject = 'alice'"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_data_keys WHERE subject = 'alice'"), 0,
                       "Delete removes the data key in the same transaction")
        let url = self.url, logger = self.logger, old = oldKey!
        let outcome = try wait { try await MasterKeyRotation.rotate(url: url, from: old, to: newKey, logger: logger) }
        XCTAssertEqual(outcome.rewrapped, 1, "bob's key")

        // The backup, read as an attacker would: alice's wrapped key and sealed templates.
        let keyRow = try XCTUnwrap(PostgresDump.rows(backup, table: "facematch_data_keys").first { $0["subject"] == "alice" })
        let wrapped = try XCTUnwrap(PostgresDump.bytea(keyRow["wrapped_key"]))
        let sealed = PostgresDump.rows(backup, table: "facematch_templates").filter { $0["subject"] == "alice" }
            .compactMap { PostgresDump.bytea($0["vector"]) }
        XCTAssertEqual(sealed.count, 2)
        let context = SubjectContext(namespace: "app", subject: "alice")
        let templateContext = TemplateContext(namespace: "app", subject: "alice", modelID: FaceModelID.dlib.rawValue)

        // Before destruction the old key restores alice from the backup...
        let restoredKey = try oldKey!.unwrap(wrapped, for: context)
        XCTAssertEqual(try sealed.map { try restoredKey.open($0, dimension: 128, for: templateContext) }, alice)
        // ...then it is destroyed, and no key in existence opens her templates.
        oldKey = nil
        XCTAssertThrowsError(try newKey.unwrap(wrapped, for: context)) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .wrongMasterKey(expected: newKey.id, found: old.id))
        }
        for v in alice { XCTAssertFalse(dumpHolds(backup, v)) }
        XCTAssertEqual(try count("SELECT count(*) FROM facematch_data_keys WHERE master_key_id <> '\\x\(PostgresDump.hex(newKey.id.bytes))'"), 0)

        // Every live subject verifies on a node holding only the new key (its cache rebuilt from PostgreSQL).
        let restarted = try startNode(newKey)
        XCTAssertEqual(try restarted.bestDistance(namespace: "app", subject: "bob", vector: bob) ?? -1, 0, accuracy: 1e-6)
        XCTAssertNil(try restarted.bestDistance(namespace: "app", subject: "alice", vector: alice[0]))
        XCTAssertEqual(try restarted.enroll(namespace: "app", subject: "bob", vector: vector(24), vendorData: [], mode: .append), 2)
    }

    func testANodeWithAnotherMasterKeyRefusesToStartAndRotationRefusesAThirdKey() throws {
        let key = MasterKey.random(), other = MasterKey.random()
        let node = try startNode(key)
        _ = try node.enroll(namespace: "app", subject: "bob", vector: vector(31), vendorData: [], mode: .append)
        XCTAssertThrowsError(try startNode(other)) { error in
            guard case ClusterError.key(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("wrapped by master key \(key.id)"), message)
        }
        let url = self.url, logger = self.logger
        XCTAssertThrowsError(try wait { try await MasterKeyRotation.rotate(url: url, from: other, to: MasterKey.random(), logger: logger) }) {
            XCTAssertTrue("\($0)".contains("neither the old"), "\($0)")
        }
        XCTAssertEqual(try wait { try await MasterKeyRotation.rotate(url: url, from: key, to: other, logger: logger) }.rewrapped, 1)
        XCTAssertEqual(try wait { try await MasterKeyRotation.rotate(url: url, from: key, to: other, logger: logger) }.alreadyNew, 1,
                       "a second run finds the work done")
    }

    /// A replace gives the subject a new data key, so its replaced templates in old backups die
    /// with the old key's row; an append keeps the key.
    func testReplaceGivesTheSubjectANewDataKey() throws {
        let node = try startNode(MasterKey.random())
        let keyOf = { try self.postgres.sql(self.url, "SELECT encode(wrapped_key, 'hex') FROM facematch_data_keys WHERE subject = 'bob'") }
        _ = try node.enroll(namespace: "app", subject: "bob", vector: vector(41), vendorData: [], mode: .append)
        let first = try keyOf()
        _ = try node.enroll(namespace: "app", subject: "bob", vector: vector(42), vendorData: [], mode: .append)
        XCTAssertEqual(try keyOf(), first)
        XCTAssertEqual(try node.enroll(namespace: "app", subject: "bob", vector: vector(43), vendorData: [], mode: .replace), 1)
        XCTAssertNotEqual(try keyOf(), first)
        XCTAssertEqual(try node.bestDistance(namespace: "app", subject: "bob", vector: vector(43)) ?? -1, 0, accuracy: 1e-6)
    }
}
