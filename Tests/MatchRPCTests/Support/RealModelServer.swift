import EmbeddingStore
import FaceNet
import Foundation
import Logging
@testable import MatchRPC

/// The real engines of both model families (loaded from the repo's models/, which setup
/// guarantees: a missing file fails the test, naming it) and the real per-model stores of a data
/// directory (`LocalStoreLayout`), behind a server on loopback.
enum RealModelServer {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var modelsDirectory: String { FaceModels.directory(explicit: repo.appendingPathComponent("models").path) }

    static func engines() throws -> FaceEngines {
        FaceEngines([.dlib: try FacePipelineEngine(modelsDirectory: modelsDirectory),
                     .reidentification0095: try ReIDEngine(modelsDirectory: modelsDirectory)])
    }

    static func stores(dataDirectory: String) throws -> ModelStores {
        ModelStores(try LocalStoreLayout.open(dataDirectory: dataDirectory, options: StoreOptions(masterKey: testMasterKey)).mapValues { EmbeddingStoreAdapter(store: $0) })
    }

    static func start(registry: ApplicationRegistry, dataDirectory: String, workers: Int = 2) async throws -> MatchServer {
        var logger = Logger(label: "e2e")
        logger.logLevel = .warning
        return try await MatchServer.start(
            settings: ServerSettings(host: "127.0.0.1", port: 0, metricsPort: nil, workers: workers, queueCapacity: 16),
            registry: registry, engines: try engines(), stores: try stores(dataDirectory: dataDirectory), logger: logger)
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: repo.appendingPathComponent("Tests/Fixtures/faces/\(name)")))
    }
}
