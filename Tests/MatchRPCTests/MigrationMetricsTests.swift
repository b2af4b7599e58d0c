import Logging
import XCTest
@testable import MatchRPC

/// /metrics counts, per migrating application, the subjects still waiting for its model.
final class MigrationMetricsTests: XCTestCase {
    func testWaitingSubjectsGaugePerApplication() async throws {
        let old = InMemoryStore(), new = InMemoryStore()
        for subject in ["a", "b", "c"] {
            _ = try old.enroll(namespace: "bank", subject: subject, vector: [1, 0], vendorData: [], mode: .append)
        }
        _ = try new.enroll(namespace: "bank", subject: "c", vector: [1, 0], vendorData: [], mode: .append)
        let registry = ApplicationRegistry([
            Application(id: "bank", keyDigest: APIKeyDigest(key: "b"), model: .reidentification0095, previousModel: .dlib),
            Application(id: "shop", keyDigest: APIKeyDigest(key: "s"), model: .reidentification0095),
        ])
        var logger = Logger(label: "metrics-test")
        logger.logLevel = .warning
        let server = try await MatchServer.start(
            settings: ServerSettings(host: "127.0.0.1", port: 0, metricsPort: 0, workers: 1, queueCapacity: 2),
            registry: registry, engines: .uniform(FakeAnalyzerFactory()),
            stores: ModelStores([.dlib: old, .reidentification0095: new]), logger: logger)
        let connection = try await RawConnection.connect(port: try XCTUnwrap(server.metricsPort))
        try await connection.send(Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        await connection.closed()
        let text = String(decoding: connection.received, as: UTF8.self)
        XCTAssertTrue(text.contains("facematch_model_migration_waiting_subjects{application=\"bank\"} 2"), text)
        XCTAssertFalse(text.contains("application=\"shop\""), "an application without previous_model has no gauge")
        XCTAssertTrue(text.contains("facematch_store_subjects 4"), "store totals add every model's store")
        await server.shutdown()
    }
}
