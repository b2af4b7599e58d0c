import Foundation
import Logging
import PostgresNIO

/// Retention in PostgreSQL for one model's templates (`sealing`'s), in ONE transaction under the write lock: `facematch_erase_templates`
/// removes the expired templates (and the data keys of subjects left with none), then every
/// subject that keeps newer templates is re-keyed: its remaining templates are sealed again under
/// a fresh data key and its key row is overwritten with it. The old key's only rows are gone, so
/// a dump made before the sweep holds the expired templates under a key nobody can unwrap once
/// the master key of that dump is rotated out and destroyed, as after a Delete. The function's
/// changes (one per touched subject) make every node's cache read the subject again after COMMIT.
enum RetentionErasure {
    /// Returns how many templates were erased and the last change position written, nil when none.
    static func erase(namespace: String, before cutoff: Date, sealing: TemplateSealing, client: PostgresClient,
                      logger: Logger) async throws -> (erased: Int, position: Int64?) {
        try await client.withTransaction(logger: logger) { tx in
            try await tx.query("SELECT pg_advisory_xact_lock(\(Migrations.writeLockKey))", logger: logger)
            let model = sealing.modelID
            var touched: [String] = []
            for try await subject in try await tx.query("""
                SELECT DISTINCT subject FROM facematch_templates
                WHERE namespace = \(namespace) AND model = \(model) AND created_at < \(cutoff)
                """, logger: logger).decode(String.self) {
                touched.append(subject)
            }
            var result: (erased: Int, position: Int64?)?
            for try await (erased, position) in try await tx.query("""
                SELECT out_erased, out_seq FROM facematch_erase_templates(\(namespace), \(model), \(cutoff))
                """, logger: logger).decode((Int32, Int64?).self) {
                result = (Int(erased), position)
            }
            guard let result else { throw ClusterError.schema("facematch_erase_templates returned no row") }
            for subject in touched.sorted() {
                try await rekey(namespace: namespace, subject: subject, sealing: sealing, on: tx, logger: logger)
            }
            return result
        }
    }

    /// Seals the subject's templates again under a fresh data key; nothing when it has none left.
    private static func rekey(namespace: String, subject: String, sealing: TemplateSealing,
                              on tx: PostgresConnection, logger: Logger) async throws {
        let model = sealing.modelID
        var wrapped: ByteBuffer?
        for try await key in try await tx.query("""
            SELECT wrapped_key FROM facematch_data_keys WHERE namespace = \(namespace) AND subject = \(subject) AND model = \(model)
            """, logger: logger).decode(ByteBuffer.self) {
            wrapped = key
        }
        guard let wrapped else { return }
        let old = try sealing.unwrap(Array(wrapped.readableBytesView), namespace: namespace, subject: subject)
        let new = sealing.newKey(namespace: namespace, subject: subject)
        var ords: [Int64] = [], vectors: [ByteBuffer] = []
        for try await (ord, vector, sealed) in try await tx.query("""
            SELECT ord, vector, sealed FROM facematch_templates
            WHERE namespace = \(namespace) AND subject = \(subject) AND model = \(model)
            """, logger: logger).decode((Int64, ByteBuffer, Bool).self) {
            guard sealed else { throw ClusterError.schema("\(namespace)/\(subject) has a plaintext template: start a node once to encrypt it") }
            let plain = try sealing.open(Array(vector.readableBytesView), with: old, namespace: namespace, subject: subject)
            ords.append(ord)
            vectors.append(ByteBuffer(bytes: sealing.seal(plain, with: new, namespace: namespace, subject: subject)))
        }
        try await tx.query("""
            UPDATE facematch_templates t SET vector = u.vector
            FROM unnest(\(ords)::bigint[], \(vectors)::bytea[]) AS u(ord, vector)
            WHERE t.namespace = \(namespace) AND t.subject = \(subject) AND t.model = \(model) AND t.ord = u.ord
            """, logger: logger)
        let masterKeyID = ByteBuffer(bytes: sealing.masterKey.id.bytes), newWrapped = ByteBuffer(bytes: new.wrapped)
        try await tx.query("""
            UPDATE facematch_data_keys SET wrapped_key = \(newWrapped), master_key_id = \(masterKeyID)
            WHERE namespace = \(namespace) AND subject = \(subject) AND model = \(model)
            """, logger: logger)
    }
}
