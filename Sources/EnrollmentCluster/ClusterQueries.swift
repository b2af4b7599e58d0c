import Logging
import PostgresNIO

/// The SQL every node runs against the system of record (the schema is in `Migrations`).
enum ClusterQueries {
    struct Identity: Sendable {
        var clusterID: String
        var modelID: String
        /// The newest change position committed.
        var head: Int64
    }

    /// The cluster's id, claiming it for `modelID` when no node has yet.
    static func identity(modelID: String, on connection: PostgresConnection, logger: Logger) async throws -> Identity {
        try await connection.query("UPDATE facematch_cluster SET model_id = \(modelID) WHERE model_id IS NULL", logger: logger)
        let rows = try await connection.query("""
            SELECT id::text, model_id, (SELECT coalesce(max(seq), 0) FROM facematch_changes) FROM facematch_cluster
            """, logger: logger)
        for try await (id, model, head) in rows.decode((String, String, Int64).self) {
            return Identity(clusterID: id, modelID: model, head: head)
        }
        throw ClusterError.schema("facematch_cluster has no row")
    }

    static func clusterID(on connection: PostgresConnection, logger: Logger) async throws -> String {
        for try await id in try await connection.query("SELECT id::text FROM facematch_cluster", logger: logger).decode(String.self) {
            return id
        }
        throw ClusterError.schema("facematch_cluster has no row")
    }

    /// Commits one enrolment; returns its change position and the subject's template count.
    static func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8], replace: Bool,
                       maxTemplates: Int, client: PostgresClient, logger: Logger) async throws -> (position: Int64, templates: Int) {
        let vectorBytes = ByteBuffer(bytes: VectorBytes.encode(vector))
        let vendorBytes = ByteBuffer(bytes: vendorData)
        let limit = Int32(maxTemplates)
        let rows = try await client.query("""
            SELECT out_seq, out_templates FROM facematch_enroll(\(namespace), \(subject), \(vectorBytes), \(vendorBytes),
                                                                 \(replace), \(limit))
            """, logger: logger)
        for try await (position, templates) in rows.decode((Int64, Int32).self) {
            return (position, Int(templates))
        }
        throw ClusterError.schema("facematch_enroll returned no row")
    }

    /// Commits one deletion; returns its change position, nil when the subject had no enrolment.
    static func delete(namespace: String, subject: String, client: PostgresClient, logger: Logger) async throws -> Int64? {
        let rows = try await client.query("SELECT facematch_delete(\(namespace), \(subject))", logger: logger)
        for try await position in rows.decode(Int64?.self) {
            return position
        }
        throw ClusterError.schema("facematch_delete returned no row")
    }

    /// Up to `limit` changes after `position`, each with its subject's current templates.
    static func changes(after position: Int64, limit: Int, on connection: PostgresConnection,
                        logger: Logger) async throws -> [FeedChange] {
        let rows = try await connection.query("""
            SELECT c.seq, c.namespace, c.subject, extract(epoch FROM c.committed_at)::float8, t.vector, t.vendor_data
            FROM (SELECT seq, namespace, subject, committed_at FROM facematch_changes
                  WHERE seq > \(position) ORDER BY seq LIMIT \(limit)) c
            LEFT JOIN facematch_templates t ON t.namespace = c.namespace AND t.subject = c.subject
            ORDER BY c.seq, t.ord
            """, logger: logger)
        var changes: [FeedChange] = []
        for try await (seq, namespace, subject, committedAt, vector, vendor)
            in rows.decode((Int64, String, String, Double, ByteBuffer?, ByteBuffer?).self) {
            if changes.last?.position != seq {
                changes.append(FeedChange(position: seq, committedAt: committedAt,
                                          state: SubjectState(namespace: namespace, subject: subject, templates: [])))
            }
            if let vector, let vendor {
                changes[changes.count - 1].state.templates.append(try template(vector, vendor))
            }
        }
        return changes
    }

    static func template(_ vector: ByteBuffer, _ vendor: ByteBuffer) throws -> StoredTemplate {
        guard let floats = VectorBytes.decode(vector.readableBytesView) else {
            throw ClusterError.schema("a stored vector has \(vector.readableBytes) bytes, not a multiple of 4")
        }
        return StoredTemplate(vector: floats, vendorData: Array(vendor.readableBytesView))
    }
}
