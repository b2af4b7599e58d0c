import EmbeddingStore
import Foundation
import Logging
import MatchRPC
import TemplateCrypto
import XCTest
@testable import EnrollmentCluster

/// A test against the throw-away PostgreSQL: a database of its own, nodes whose caches live in
/// temporary folders, and the synchronous store calls made from the test's own thread.
class PostgresTestCase: XCTestCase {
    var postgres: ThrowawayPostgres!
    var url = ""
    private var directories: [String] = []
    private var nodes: [ClusterStore] = []
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    override func setUpWithError() throws {
        postgres = try ThrowawayPostgres.shared()
        url = try postgres.createDatabase()
    }

    override func tearDown() {
        for node in nodes { try? node.close() }
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        super.tearDown()
    }

    /// A node's store of `model` with its own data folder, or the given one (another model's store
    /// of the same node).
    func startNode(_ masterKey: MasterKey, model: FaceModelID = .dlib, dataDirectory: String? = nil) throws -> ClusterStore {
        let directory = dataDirectory ?? makeTempDirectory()
        directories.append(directory)
        let url = self.url, logger = self.logger
        let node = try wait {
            try await ClusterNode.start(url: url, dataDirectory: directory, model: model, masterKey: masterKey,
                                        options: StoreOptions(masterKey: masterKey, maxTemplatesPerSubject: 3), logger: logger)
        }
        nodes.append(node)
        return node
    }

    /// Runs async work to completion from the test's thread.
    func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        try blockingAwait(timeout: .seconds(120), onTimeout: ClusterError.unavailable("test step took over 120 s"), work)
    }

    func count(_ sql: String) throws -> Int {
        let output = try postgres.sql(url, sql).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let n = Int(output) else { throw PostgresSetupError(command: sql, output: output) }
        return n
    }

    /// The little-endian bytes PostgreSQL held for a vector before migration 2.
    func plaintextBytes(_ vector: [Float]) -> [UInt8] { VectorBytes.encode(vector) }

    /// Whether the dump holds the vector, or any 32-byte piece of it, in the hex of a bytea.
    func dumpHolds(_ dump: String, _ vector: [Float]) -> Bool {
        let bytes = plaintextBytes(vector)
        return stride(from: 0, to: bytes.count, by: 32).contains { dump.contains(PostgresDump.hex(Array(bytes[$0..<$0 + 32]))) }
    }
}
