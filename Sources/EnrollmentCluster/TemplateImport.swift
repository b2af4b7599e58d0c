import Logging
import PostgresNIO

/// Loads many templates into PostgreSQL with COPY (one subject per template, no change-feed
/// rows): for seeding a cluster from another store and for the rebuild benchmark. Nodes pick up
/// imported templates when their cache is rebuilt, not through the feed.
public enum TemplateImport {
    /// Copies `count` templates into `namespace`; `template(i)` gives the i-th subject and vector.
    public static func copy(url: String, namespace: String, count: Int, logger: Logger,
                            template: @escaping @Sendable (Int) -> (subject: String, vector: [Float])) async throws {
        let parsed = try PostgresURL(url)
        let connection = try await PostgresConnection.connect(configuration: try parsed.connectionConfiguration(), id: 0,
                                                              logger: logger)
        do {
            try await connection.copyFrom(table: "facematch_templates",
                                          columns: ["namespace", "subject", "ord", "vector", "vendor_data"],
                                          logger: logger) { writer in
                var buffer = ByteBuffer()
                for i in 0..<count {
                    let (subject, vector) = template(i)
                    buffer.writeString("\(namespace)\t\(subject)\t1\t\\\\x")
                    for byte in VectorBytes.encode(vector) {
                        buffer.writeInteger(hexDigit(byte >> 4))
                        buffer.writeInteger(hexDigit(byte & 0xf))
                    }
                    buffer.writeString("\t\\\\x\n")
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

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
