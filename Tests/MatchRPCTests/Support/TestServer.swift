import Logging
import MatchClient
import NIOCore
import NIOPosix
import Wire
import XCTest
@testable import MatchRPC

/// A server on 127.0.0.1 with a free port, the fake engine and an in-memory store, and two
/// applications ("shop" with key "shop-key", "bank" with key "bank-key").
struct TestServer {
    static let shopKey = "shop-key"
    static let bankKey = "bank-key"

    let server: MatchServer
    let store: InMemoryStore
    let registry: ApplicationRegistry

    static func start(workers: Int = 2, queueCapacity: Int = 8, gate: Gate? = nil,
                      idleTimeout: TimeAmount = .seconds(60), frameTimeout: TimeAmount = .seconds(30),
                      latencyBudget: TimeAmount? = nil, defaultTimeout: TimeAmount = .seconds(30),
                      metrics: Bool = false, logger: Logger? = nil, tls: ServerTLS? = nil,
                      signingKey: AnswerSigningKey? = nil,
                      applications: [Application]? = nil) async throws -> TestServer {
        let registry = ApplicationRegistry(applications ?? [
            // The fake engine's distances are read with dlib's calibration, whatever the default model.
            Application(id: "shop", keyDigest: APIKeyDigest(key: shopKey), model: .dlib),
            Application(id: "bank", keyDigest: APIKeyDigest(key: bankKey), thresholds: Thresholds(review: 95, decline: 90),
                        model: .dlib),
        ])
        let store = InMemoryStore()
        var quiet = Logger(label: "test-server")
        quiet.logLevel = .warning
        var settings = ServerSettings(host: "127.0.0.1", port: 0, metricsPort: metrics ? 0 : nil, workers: workers,
                                      queueCapacity: queueCapacity, latencyBudget: latencyBudget, idleTimeout: idleTimeout,
                                      frameTimeout: frameTimeout, shutdownGrace: .seconds(10), defaultTimeout: defaultTimeout)
        settings.tls = tls
        settings.signingKey = signingKey
        let server = try await MatchServer.start(settings: settings, registry: registry,
                                                 engines: .uniform(FakeAnalyzerFactory(gate: gate)), stores: .single(store),
                                                 logger: logger ?? quiet)
        return TestServer(server: server, store: store, registry: registry)
    }

    func client(key: String = TestServer.shopKey) async throws -> MatchClient {
        try await MatchClient.connect(host: "127.0.0.1", port: server.port, apiKey: key)
    }

    /// A normal call on a fresh connection must still succeed (asserted after every hostile test).
    func assertStillServes(file: StaticString = #filePath, line: UInt = #line) async throws {
        let client = try await client()
        defer { Task { await client.close() } }
        let report = try await client.compare(source: Array("face:2".utf8), target: Array("face:2:0.1".utf8))
        XCTAssertEqual(report.status, .approved, file: file, line: line)
    }
}
