import Logging
import PostgresNIO

/// Encrypts templates that migration 1 stored in plaintext (`sealed` false), at node start, while
/// the node holds the migration advisory lock (nodes starting together do it once). Works in
/// transactions of up to `batchSubjects` subjects, each under the write lock so no Enroll or
/// Delete interleaves: a subject gets a data key (its existing one, else a new one) and its rows
/// are rewritten sealed. Each model's node seals its model's rows (migration 3 gave them the model
/// the cluster had claimed, dlib's in practice). A crash between batches leaves the rest in plaintext for the next start.
/// Reading the cleartext of a sealed row is the same as before, so no change-feed entry is needed.
/// The old plaintext bytes remain in dead tuples until VACUUM, and in WAL and backups made before
/// (docs/scaling.md says what to do about them).
enum PlaintextMigration {
    static let batchSubjects = 1000

    /// Returns how many templates were encrypted.
    static func run(sealing: TemplateSealing, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await connection.query("SELECT pg_advisory_lock(\(Migrations.migrationLockKey))", logger: logger)
        do {
            var total = 0
            while true {
                let done = try await connection.withTransaction(logger: logger) { tx in
                    try await batch(sealing: sealing, on: tx, logger: logger)
                }
                guard done > 0 else { break }
                total += done
                logger.notice("encrypting plaintext templates", metadata: ["done": "\(total)"])
            }
            try await connection.query("SELECT pg_advisory_unlock(\(Migrations.migrationLockKey))", logger: logger)
            return total
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Migrations.migrationLockKey))", logger: logger)
            throw error
        }
    }

    private static func batch(sealing: TemplateSealing, on tx: PostgresConnection, logger: Logger) async throws -> Int {
        try await tx.query("SELECT pg_advisory_xact_lock(\(Migrations.writeLockKey))", logger: logger)
        let model = sealing.modelID
        let rows = try await tx.query("""
            SELECT t.namespace, t.subject, t.ord, t.vector, k.wrapped_key
            FROM facematch_templates t
            LEFT JOIN facematch_data_keys k ON k.namespace = t.namespace AND k.subject = t.subject AND k.model = t.model
            WHERE NOT t.sealed AND t.model = \(model) AND (t.namespace, t.subject) IN
                (SELECT namespace, subject FROM facematch_templates WHERE NOT sealed AND model = \(model)
                 GROUP BY namespace, subject LIMIT \(batchSubjects))
            ORDER BY t.namespace, t.subject, t.ord
            """, logger: logger)
        var namespaces: [String] = [], subjects: [String] = [], ords: [Int64] = [], sealedVectors: [ByteBuffer] = []
        var newKeys: (namespaces: [String], subjects: [String], wrapped: [ByteBuffer]) = ([], [], [])
        var current: (namespace: String, subject: String, key: TemplateSealing.SubjectKey)?
        for try await (namespace, subject, ord, vector, wrappedKey) in rows.decode((String, String, Int64, ByteBuffer, ByteBuffer?).self) {
            guard let floats = VectorBytes.decode(vector.readableBytesView) else {
                throw ClusterError.schema("plaintext template \(namespace)/\(subject)/\(ord) has \(vector.readableBytes) bytes")
            }
            if current?.namespace != namespace || current?.subject != subject {
                let key: TemplateSealing.SubjectKey
                if let wrappedKey {
                    key = try sealing.unwrap(Array(wrappedKey.readableBytesView), namespace: namespace, subject: subject)
                } else {
                    key = sealing.newKey(namespace: namespace, subject: subject)
                    newKeys.namespaces.append(namespace)
                    newKeys.subjects.append(subject)
                    newKeys.wrapped.append(ByteBuffer(bytes: key.wrapped))
                }
                current = (namespace, subject, key)
            }
            namespaces.append(namespace)
            subjects.append(subject)
            ords.append(ord)
            sealedVectors.append(ByteBuffer(bytes: sealing.seal(floats, with: current!.key, namespace: namespace, subject: subject)))
        }
        guard !ords.isEmpty else { return 0 }
        let masterKeyID = ByteBuffer(bytes: sealing.masterKey.id.bytes)
        try await tx.query("""
            INSERT INTO facematch_data_keys (namespace, subject, model, wrapped_key, master_key_id)
            SELECT k.namespace, k.subject, \(model), k.wrapped_key, \(masterKeyID)
            FROM unnest(\(newKeys.namespaces)::text[], \(newKeys.subjects)::text[], \(newKeys.wrapped)::bytea[])
                AS k(namespace, subject, wrapped_key)
            """, logger: logger)
        try await tx.query("""
            UPDATE facematch_templates t SET vector = u.vector, sealed = true
            FROM unnest(\(namespaces)::text[], \(subjects)::text[], \(ords)::int8[], \(sealedVectors)::bytea[])
                AS u(namespace, subject, ord, vector)
            WHERE t.namespace = u.namespace AND t.subject = u.subject AND t.model = \(model) AND t.ord = u.ord
            """, logger: logger)
        return ords.count
    }
}
