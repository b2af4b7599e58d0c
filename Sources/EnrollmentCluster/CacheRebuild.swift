import EmbeddingStore
import Foundation
import Logging
import PostgresNIO

/// Builds a node's cache of one model from PostgreSQL: every template of the model, opened in memory, read in one REPEATABLE READ snapshot
/// together with the newest change position that snapshot holds, written into a new store in
/// large batches, then swapped in place of the old directory. The follower continues from that
/// position, so changes committed during the rebuild are applied afterwards.
enum CacheRebuild {
    static let batchSize = 8192

    struct Outcome {
        var position: Int64
        var templates: Int
        var seconds: Double
    }

    static func rebuild(directory: String, clusterID: String, options: StoreOptions, sealing: TemplateSealing, on connection: PostgresConnection, logger: Logger) async throws -> Outcome {
        let started = Date()
        let building = directory + ".rebuild"
        try removeTree(building)
        try FileManager.default.createDirectory(atPath: building, withIntermediateDirectories: true)
        let store = try EmbeddingStore.open(directory: building, dimension: sealing.dimension, modelID: sealing.modelID,
                                             options: options)
        var position: Int64 = 0
        var templates = 0
        do {
            try await connection.withTransaction(logger: logger) { tx in
                try await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                for try await head in try await tx.query("SELECT coalesce(max(seq), 0) FROM facematch_changes",
                                                         logger: logger).decode(Int64.self) {
                    position = head
                }
                let rows = try await tx.query("""
                    SELECT t.namespace, t.subject, t.vector, t.vendor_data, t.sealed, k.wrapped_key
                    FROM facematch_templates t
                    LEFT JOIN facematch_data_keys k ON k.namespace = t.namespace AND k.subject = t.subject AND k.model = t.model
                    WHERE t.model = \(sealing.modelID)
                    ORDER BY t.namespace, t.subject, t.ord
                    """, logger: logger)
                var namespace = ""
                var batch: [Enrollment] = []
                var reader = SealedRowReader(sealing: sealing)
                for try await (ns, subject, vector, vendor, sealed, wrappedKey)
                    in rows.decode((String, String, ByteBuffer, ByteBuffer, Bool, ByteBuffer?).self) {
                    if ns != namespace || batch.count >= batchSize {
                        try flush(&batch, namespace: namespace, into: store)
                        namespace = ns
                    }
                    let t = try reader.template(namespace: ns, subject: subject, vector: vector, vendor: vendor, sealed: sealed,
                                                wrappedKey: wrappedKey)
                    batch.append(Enrollment(subject: subject, vector: t.vector, vendorData: t.vendorData))
                    templates += 1
                }
                try flush(&batch, namespace: namespace, into: store)
            }
        } catch {
            throw PostgresFailure.unwrapped(error)
        }
        try CacheMarker(clusterID: clusterID, position: position).write(directory: building)
        let retired = directory + ".retired"
        try removeTree(retired)
        if FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.moveItem(atPath: directory, toPath: retired)
        }
        try FileManager.default.moveItem(atPath: building, toPath: directory)
        try removeTree(retired)
        return Outcome(position: position, templates: templates, seconds: Date().timeIntervalSince(started))
    }

    private static func flush(_ batch: inout [Enrollment], namespace: String, into store: EmbeddingStore) throws {
        guard !batch.isEmpty else { return }
        try store.enroll(namespace: namespace, batch: batch)
        batch.removeAll(keepingCapacity: true)
    }

    private static func removeTree(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }
}
