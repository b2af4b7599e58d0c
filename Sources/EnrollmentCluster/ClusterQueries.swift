import Foundation
import Logging
import PostgresNIO

/// The SQL every node runs against the system of record (the schema is in `Migrations`).
enum ClusterQueries {
    struct Identity: Sendable {
        var clusterID: String
        /// The newest change position committed (of any model).
        var head: Int64
    }

    static func identity(on connection: PostgresConnection, logger: Logger) async throws -> Identity {
        let rows = try await connection.query("""
            SELECT id::text, (SELECT coalesce(max(seq), 0) FROM facematch_changes) FROM facematch_cluster
            """, logger: logger)
        for try await (id, head) in rows.decode((String, Int64).self) {
            return Identity(clusterID: id, head: head)
        }
        throw ClusterError.schema("facematch_cluster has no row")
    }

    static func clusterID(on connection: PostgresConnection, logger: Logger) async throws -> String {
        for try await id in try await connection.query("SELECT id::text FROM facematch_cluster", logger: logger).decode(String.self) {
            return id
        }
        throw ClusterError.schema("facematch_cluster has no row")
    }

    /// Commits one enrolment of `sealing`'s model, its vector sealed under the subject's data key
    /// for that model (a new key for a new subject or a replace); returns its change position and the subject's template count. The
    /// function refuses a key that changed since it was read (FMK01): read again and retry.
    static func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8], replace: Bool,
                       maxTemplates: Int, sealing: TemplateSealing, client: PostgresClient,
                       logger: Logger) async throws -> (position: Int64, templates: Int) {
        let vendorBytes = ByteBuffer(bytes: vendorData)
        let limit = Int32(maxTemplates)
        let masterKeyID = ByteBuffer(bytes: sealing.masterKey.id.bytes), model = sealing.modelID
        for attempt in 1...Self.keyConflictAttempts {
            let existing = replace ? nil : try await dataKey(namespace: namespace, subject: subject, model: model, client: client,
                                                              logger: logger)
            let key = try existing.map { try sealing.unwrap($0, namespace: namespace, subject: subject) }
                ?? sealing.newKey(namespace: namespace, subject: subject)
            let sealed = ByteBuffer(bytes: sealing.seal(vector, with: key, namespace: namespace, subject: subject))
            let wrapped = ByteBuffer(bytes: key.wrapped)
            let isNew = existing == nil
            do {
                let rows = try await client.query("""
                    SELECT out_seq, out_templates FROM facematch_enroll(\(namespace), \(subject), \(model), \(sealed), \(vendorBytes),
                        \(replace), \(limit), \(wrapped), \(masterKeyID), \(isNew))
                    """, logger: logger)
                for try await (position, templates) in rows.decode((Int64, Int32).self) {
                    return (position, Int(templates))
                }
                throw ClusterError.schema("facematch_enroll returned no row")
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == Migrations.keyConflictState
                && attempt < Self.keyConflictAttempts {
                continue
            }
        }
        throw ClusterError.schema("unreachable: the enrolment loop returns or throws")
    }

    static let keyConflictAttempts = 4

    /// The subject's wrapped data key for `model`; nil when it has none.
    static func dataKey(namespace: String, subject: String, model: String, client: PostgresClient,
                        logger: Logger) async throws -> [UInt8]? {
        let rows = try await client.query("""
            SELECT wrapped_key FROM facematch_data_keys
            WHERE namespace = \(namespace) AND subject = \(subject) AND model = \(model)
            """, logger: logger)
        for try await wrapped in rows.decode(ByteBuffer.self) {
            return Array(wrapped.readableBytesView)
        }
        return nil
    }

    /// Commits one deletion of the subject's `model` templates; returns its change position, nil when
    /// the subject had no enrolment of that model.
    static func delete(namespace: String, subject: String, model: String, client: PostgresClient,
                       logger: Logger) async throws -> Int64? {
        let rows = try await client.query("SELECT facematch_delete(\(namespace), \(subject), \(model))", logger: logger)
        for try await position in rows.decode(Int64?.self) {
            return position
        }
        throw ClusterError.schema("facematch_delete returned no row")
    }

    /// Up to `limit` changes of `sealing`'s model after `position`, each with its subject's current
    /// templates of that model, opened.
    static func changes(after position: Int64, limit: Int, sealing: TemplateSealing, on connection: PostgresConnection,
                        logger: Logger) async throws -> [FeedChange] {
        let model = sealing.modelID
        let rows = try await connection.query("""
            SELECT c.seq, c.namespace, c.subject, extract(epoch FROM c.committed_at)::float8, t.vector, t.vendor_data,
                   t.sealed, k.wrapped_key
            FROM (SELECT seq, namespace, subject, committed_at FROM facematch_changes
                  WHERE model = \(model) AND seq > \(position) ORDER BY seq LIMIT \(limit)) c
            LEFT JOIN facematch_templates t ON t.namespace = c.namespace AND t.subject = c.subject AND t.model = \(model)
            LEFT JOIN facematch_data_keys k ON k.namespace = c.namespace AND k.subject = c.subject AND k.model = \(model)
            ORDER BY c.seq, t.ord
            """, logger: logger)
        var changes: [FeedChange] = []
        var reader = SealedRowReader(sealing: sealing)
        for try await (seq, namespace, subject, committedAt, vector, vendor, sealed, wrappedKey)
            in rows.decode((Int64, String, String, Double, ByteBuffer?, ByteBuffer?, Bool?, ByteBuffer?).self) {
            if changes.last?.position != seq {
                changes.append(FeedChange(position: seq, committedAt: committedAt,
                                          state: SubjectState(namespace: namespace, subject: subject, templates: [])))
            }
            if let vector, let vendor, let sealed {
                changes[changes.count - 1].state.templates.append(
                    try reader.template(namespace: namespace, subject: subject, vector: vector, vendor: vendor, sealed: sealed,
                                        wrappedKey: wrappedKey))
            }
        }
        return changes
    }
}
