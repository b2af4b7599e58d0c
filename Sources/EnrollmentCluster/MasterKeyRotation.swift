import Foundation
import Logging
import PostgresNIO
import TemplateCrypto

/// Re-wraps every data key in PostgreSQL, of every model, from the old master key to a new one
/// (`facematch rotate-master-key --postgres URL`), in ONE transaction under the write lock: a crash
/// or a failure rolls everything back, so every key stays wrapped by a key that exists, and
/// Enroll/Delete wait (or answer UNAVAILABLE after their 3 s) while it runs. Keys already under
/// the new master key are skipped, so the command can be run again; keys under any third master
/// key make it refuse before changing anything. After it commits, the old master key file can be
/// destroyed: copies made before (dumps, WAL, backups) then hold data keys nobody can unwrap.
public enum MasterKeyRotation {
    public struct Outcome: Sendable {
        /// Data keys re-wrapped now, and those already under the new master key.
        public var rewrapped: Int
        public var alreadyNew: Int
        public var seconds: Double
    }

    static let pageSize = 10_000

    public static func rotate(url: String, from old: MasterKey, to new: MasterKey, logger: Logger) async throws -> Outcome {
        guard old.id != new.id else { throw ClusterError.key("the new master key is the old one (\(old.id))") }
        let started = Date()
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try PostgresURL(url).connectionConfiguration(),
                                                              id: 0, logger: logger)
        } catch let error as PSQLError {
            throw ClusterError.unavailable("cannot connect: \(ClusterStore.describe(error))")
        }
        do {
            let outcome = try await connection.withTransaction(logger: logger) { tx in
                try await rotate(from: old, to: new, on: tx, logger: logger)
            }
            try await connection.close()
            return Outcome(rewrapped: outcome.rewrapped, alreadyNew: outcome.alreadyNew,
                           seconds: Date().timeIntervalSince(started))
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func rotate(from old: MasterKey, to new: MasterKey, on tx: PostgresConnection,
                               logger: Logger) async throws -> (rewrapped: Int, alreadyNew: Int) {
        for try await exists in try await tx.query("SELECT to_regclass('facematch_data_keys') IS NOT NULL",
                                                   logger: logger).decode(Bool.self) where !exists {
            throw ClusterError.schema("the database has no facematch_data_keys table: start a node of this version once first")
        }
        try await tx.query("SELECT pg_advisory_xact_lock(\(Migrations.writeLockKey))", logger: logger)
        let counts = try await keyCounts(on: tx, logger: logger)
        if let foreign = counts.first(where: { $0.key != old.id && $0.key != new.id }) {
            throw ClusterError.key("\(foreign.value) data keys are wrapped by master key \(foreign.key), neither the old (\(old.id)) nor the new (\(new.id)); nothing was changed")
        }
        let oldID = ByteBuffer(bytes: old.id.bytes), newID = ByteBuffer(bytes: new.id.bytes)
        var rewrapped = 0
        var after = ("", "", "")
        while true {
            // Keyset pages in primary-key order: rows already rewritten are never read again.
            let rows = try await tx.query("""
                SELECT namespace, subject, model, wrapped_key FROM facematch_data_keys
                WHERE master_key_id = \(oldID) AND (model, namespace, subject) > (\(after.0), \(after.1), \(after.2))
                ORDER BY model, namespace, subject LIMIT \(pageSize)
                """, logger: logger)
            var namespaces: [String] = [], subjects: [String] = [], models: [String] = [], wrapped: [ByteBuffer] = []
            for try await (namespace, subject, model, key) in rows.decode((String, String, String, ByteBuffer).self) {
                let context = SubjectContext(namespace: namespace, subject: subject)
                do {
                    wrapped.append(ByteBuffer(bytes: try old.rewrap(Array(key.readableBytesView), for: context, under: new)))
                } catch {
                    throw ClusterError.key("data key of \(namespace)/\(subject): \(error); nothing was changed")
                }
                namespaces.append(namespace)
                subjects.append(subject)
                models.append(model)
            }
            guard let lastNamespace = namespaces.last, let lastSubject = subjects.last, let lastModel = models.last else { break }
            try await tx.query("""
                UPDATE facematch_data_keys d SET wrapped_key = u.wrapped_key, master_key_id = \(newID)
                FROM unnest(\(namespaces)::text[], \(subjects)::text[], \(models)::text[], \(wrapped)::bytea[])
                    AS u(namespace, subject, model, wrapped_key)
                WHERE d.namespace = u.namespace AND d.subject = u.subject AND d.model = u.model
                """, logger: logger)
            rewrapped += namespaces.count
            after = (lastModel, lastNamespace, lastSubject)
            logger.info("rotating data keys", metadata: ["rewrapped": "\(rewrapped)"])
        }
        return (rewrapped, counts[new.id] ?? 0)
    }

    /// How many data keys each master key wraps.
    static func keyCounts(on connection: PostgresConnection, logger: Logger) async throws -> [MasterKeyID: Int] {
        var counts: [MasterKeyID: Int] = [:]
        let rows = try await connection.query("SELECT master_key_id, count(*) FROM facematch_data_keys GROUP BY master_key_id",
                                              logger: logger)
        for try await (id, count) in rows.decode((ByteBuffer, Int64).self) {
            guard let id = MasterKeyID(bytes: Array(id.readableBytesView)) else {
                throw ClusterError.schema("facematch_data_keys.master_key_id holds \(id.readableBytes) bytes, not 16")
            }
            counts[id] = Int(count)
        }
        return counts
    }

    /// Refuses to start a node whose master key does not wrap every data key in the database.
    static func checkNodeKey(_ key: MasterKey, on connection: PostgresConnection, logger: Logger) async throws {
        let counts = try await keyCounts(on: connection, logger: logger)
        if let other = counts.first(where: { $0.key != key.id }) {
            throw ClusterError.key("""
                \(other.value) data keys in PostgreSQL are wrapped by master key \(other.key), this node's --master-key-file is \
                \(key.id): start it with the master key the database uses (after rotate-master-key, the new one)
                """)
        }
    }
}
