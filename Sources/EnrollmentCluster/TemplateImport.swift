import Logging
import MatchRPC
import PostgresNIO
import TemplateCrypto

/// Loads many templates into PostgreSQL with COPY (one subject per template, each with its own
/// data key, no change-feed rows): for seeding a cluster from another store and for the rebuild
/// and rotation benchmarks. Vectors are sealed and keys wrapped exactly as `facematch_enroll`
/// stores them. Nodes pick up imported templates when their cache is rebuilt, not through the feed.
public enum TemplateImport {
    /// Copies `count` templates into `namespace`; `template(i)` gives the i-th subject and vector.
    public static func copy(url: String, namespace: String, count: Int, masterKey: MasterKey, model: FaceModelID,
                            logger: Logger,
                            template: @escaping @Sendable (Int) -> (subject: String, vector: [Float])) async throws {
        let parsed = try PostgresURL(url)
        let sealing = TemplateSealing(masterKey: masterKey, model: model)
        let connection = try await PostgresConnection.connect(configuration: try parsed.connectionConfiguration(), id: 0,
                                                              logger: logger)
        do {
            // Two passes of the same subjects: the keys first, then the templates sealed under them.
            let keys = (0..<count).map { sealing.newKey(namespace: namespace, subject: template($0).subject) }
            try await connection.copyFrom(table: "facematch_data_keys",
                                          columns: ["namespace", "subject", "model", "wrapped_key", "master_key_id"],
                                          logger: logger) { writer in
                var buffer = ByteBuffer()
                for i in 0..<count {
                    buffer.writeString("\(namespace)\t\(template(i).subject)\t\(model.rawValue)\t")
                    writeHex(keys[i].wrapped, to: &buffer)
                    buffer.writeString("\t")
                    writeHex(masterKey.id.bytes, to: &buffer)
                    buffer.writeString("\n")
                    if buffer.readableBytes > 1 << 20 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
            try await connection.copyFrom(table: "facematch_templates",
                                          columns: ["namespace", "subject", "model", "ord", "vector", "vendor_data", "sealed"],
                                          logger: logger) { writer in
                var buffer = ByteBuffer()
                for i in 0..<count {
                    let (subject, vector) = template(i)
                    buffer.writeString("\(namespace)\t\(subject)\t\(model.rawValue)\t1\t")
                    writeHex(sealing.seal(vector, with: keys[i], namespace: namespace, subject: subject), to: &buffer)
                    buffer.writeString("\t\\\\x\tt\n")
                    if buffer.readableBytes > 1 << 20 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A bytea in COPY's text format: `\\x` and two hex digits per byte.
    private static func writeHex(_ bytes: [UInt8], to buffer: inout ByteBuffer) {
        buffer.writeString("\\\\x")
        for byte in bytes {
            buffer.writeInteger(hexDigit(byte >> 4))
            buffer.writeInteger(hexDigit(byte & 0xf))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
