import Foundation
import XCTest
@testable import MatchRPC

final class ConfigLoaderTests: XCTestCase {
    private let digest = APIKeyDigest(key: "k").hex

    func testDefaultsWithoutAnyKey() throws {
        let config = try ConfigLoader.parse(Data("{}".utf8))
        XCTAssertEqual(config.host, "127.0.0.1")
        XCTAssertEqual(config.port, 7470)
        XCTAssertEqual(config.metricsPort, 7471)
        XCTAssertEqual(config.dataDirectory, "./facematch-data")
        XCTAssertNil(config.applications)
        XCTAssertEqual(config.latencyBudgetMilliseconds, 300)
        XCTAssertEqual(ServerSettings(config).latencyBudget, .milliseconds(300))
        XCTAssertEqual(ServerSettings(config).defaultTimeout, .seconds(30), "timeout_ms 0 runs at most 30 s")
        XCTAssertEqual(ServerSettings(config).maximumTimeout, .seconds(300))
        // What an operator gets without setting workers, threads or queue: one wide worker on
        // small machines, more 4-thread workers on big ones, four waiting calls per worker.
        for (cores, workers, threads, queue) in [(1, 1, 1, 4), (2, 1, 2, 4), (4, 1, 4, 4), (8, 2, 4, 8), (64, 16, 4, 64)] {
            let shape = config.workerShape(cores: cores)
            XCTAssertEqual([shape.workers, shape.threadsPerWorker, shape.queueCapacity], [workers, threads, queue],
                           "\(cores) cores")
        }
    }

    func testWorkerShapeAndLatencyBudget() throws {
        let both = try ConfigLoader.parse(Data(#"{"workers": 3, "threads_per_worker": 2, "latency_budget_ms": 0}"#.utf8))
        XCTAssertEqual(both.workerShape(cores: 2).workers, 3, "set counts are kept, even past the cores")
        XCTAssertEqual(both.workerShape(cores: 2).threadsPerWorker, 2)
        XCTAssertNil(ServerSettings(both).latencyBudget, "0 turns the prediction off")
        let workersOnly = try ConfigLoader.parse(Data(#"{"workers": 1}"#.utf8))
        XCTAssertEqual(workersOnly.workerShape(cores: 6).threadsPerWorker, 6, "one worker gets every core")
        XCTAssertEqual(try ConfigLoader.parse(Data(#"{"workers": 4}"#.utf8)).workerShape(cores: 6).threadsPerWorker, 1)
        let threadsOnly = try ConfigLoader.parse(Data(#"{"threads_per_worker": 1, "latency_budget_ms": 250}"#.utf8))
        XCTAssertEqual(threadsOnly.workerShape(cores: 6).workers, 6, "one-thread workers: one per core")
        XCTAssertEqual(ServerSettings(threadsOnly).latencyBudget, .milliseconds(250))
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"latency_budget_ms": -1}"#.utf8)))
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"threads_per_worker": 1000}"#.utf8)))
        XCTAssertEqual(both.minimumFaceSize, 80, "default: every pyramid level, as dlib")
        XCTAssertEqual(try ConfigLoader.parse(Data(#"{"minimum_face_size": 130}"#.utf8)).minimumFaceSize, 130)
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"minimum_face_size": 10}"#.utf8)))
    }

    func testTimeouts() throws {
        let config = try ConfigLoader.parse(Data(#"{"default_timeout_ms": 2000, "maximum_timeout_ms": 60000}"#.utf8))
        XCTAssertEqual(ServerSettings(config).defaultTimeout, .seconds(2))
        XCTAssertEqual(ServerSettings(config).maximumTimeout, .seconds(60))
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"default_timeout_ms": 0}"#.utf8)), "a default must exist")
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"default_timeout_ms": 5000, "maximum_timeout_ms": 1000}"#.utf8)))
    }

    func testUnknownKeysAreRejectedWithTheirPath() {
        let cases: [(String, String)] = [
            (#"{"wokers": 9}"#, "wokers"),
            (#"{"port": 7470, "metrics": 1}"#, "metrics"),
            (#"{"applications": [{"id": "a", "api_key_sha256": "\#(digest)"}, {"id": "b", "api_key_sha256": "\#(digest)", "review": 80}]}"#,
             "applications[1].review"),
        ]
        for (json, path) in cases {
            XCTAssertThrowsError(try ConfigLoader.parse(Data(json.utf8)), json) { error in
                XCTAssertEqual(error as? ConfigError, .unknownKey(path: path))
                XCTAssertEqual("\(error)", "unknown config key \"\(path)\"")
            }
        }
    }

    func testApplicationsWithDefaultAndCustomThresholds() throws {
        let json = """
        {"port": 9000, "workers": 3, "queue_capacity": 5, "max_frame_bytes": 2048,
         "applications": [
           {"id": "shop", "api_key_sha256": "\(digest)"},
           {"id": "bank", "api_key_sha256": "\(digest.uppercased())", "review_threshold": 85, "decline_threshold": 60}
         ]}
        """
        let config = try ConfigLoader.parse(Data(json.utf8))
        XCTAssertEqual(config.port, 9000)
        XCTAssertEqual(config.effectiveWorkers, 3)
        XCTAssertEqual(config.effectiveQueueCapacity, 5)
        XCTAssertEqual(ServerSettings(config).maxFrameBytes, 2048)
        XCTAssertEqual(config.applications?.map(\.id), ["shop", "bank"])
        XCTAssertEqual(config.applications?[0].thresholds, .default)
        XCTAssertEqual(config.applications?[1].thresholds, Thresholds(review: 85, decline: 60))
    }

    func testPostgresURL() throws {
        XCTAssertNil(try ConfigLoader.parse(Data("{}".utf8)).postgresURL)
        let url = "postgres://fm@db:5432/facematch?sslmode=require"
        XCTAssertEqual(try ConfigLoader.parse(Data(#"{"postgres": {"url": "\#(url)"}}"#.utf8)).postgresURL, url)
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"postgres": {"url": "mysql://x"}}"#.utf8))) { error in
            guard case ConfigError.invalidSetting(let key, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "postgres.url")
        }
    }

    func testMasterKeyFile() throws {
        XCTAssertNil(try ConfigLoader.parse(Data("{}".utf8)).masterKeyFile)
        XCTAssertEqual(try ConfigLoader.parse(Data(#"{"master_key_file": "/etc/facematch/master.key"}"#.utf8)).masterKeyFile,
                       "/etc/facematch/master.key")
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"master_key_file": ""}"#.utf8))) { error in
            XCTAssertEqual(error as? ConfigError, .invalidSetting(key: "master_key_file", reason: "must name a file"))
        }
    }

    func testRejectsBadValuesWithTheirReason() {
        let cases: [(String, ConfigError)] = [
            (#"{"port": 70000}"#, .invalidSetting(key: "port", reason: "70000 is not a port")),
            (#"{"max_frame_bytes": 10}"#, .invalidSetting(key: "max_frame_bytes", reason: "must be 1024...268435456")),
            (#"{"applications": [{"id": "a b", "api_key_sha256": "\#(digest)"}]}"#,
             .invalidApplication(index: 0, reason: "id must be 1-64 characters of A-Z a-z 0-9 - _ .")),
            (#"{"applications": [{"id": "a", "api_key_sha256": "\#(digest)"}, {"id": "a", "api_key_sha256": "\#(digest)"}]}"#,
             .duplicateApplication(id: "a")),
            (#"{"applications": [{"id": "a", "api_key_sha256": "00"}]}"#,
             .invalidApplication(index: 0, reason: "api_key_sha256 must be 64 hex digits")),
        ]
        for (json, expected) in cases {
            XCTAssertThrowsError(try ConfigLoader.parse(Data(json.utf8)), json) { error in
                XCTAssertEqual(error as? ConfigError, expected)
            }
        }
        XCTAssertThrowsError(try ConfigLoader.parse(Data(
            #"{"applications": [{"id": "a", "api_key_sha256": "\#(digest)", "review_threshold": 40, "decline_threshold": 60}]}"#.utf8)))
        XCTAssertThrowsError(try ConfigLoader.parse(Data("not json".utf8))) { error in
            guard case .malformed = error as? ConfigError else { return XCTFail("\(error)") }
        }
    }

    func testReloadSwapsApplicationsAndKeepsThemWhenTheFileBreaks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("config.json").path
        let registry = ApplicationRegistry([Application(id: "old", keyDigest: APIKeyDigest(key: "old-key"))])
        let reloader = ConfigReloader(path: path, registry: registry, logger: .init(label: "test"))

        try Data(#"{"applications": [{"id": "new", "api_key_sha256": "\#(APIKeyDigest(key: "new-key").hex)"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try reloader.reload().get(), 1)
        XCTAssertNil(registry.authenticate(apiKey: "old-key"))
        XCTAssertEqual(registry.authenticate(apiKey: "new-key")?.id, "new")

        try Data("{ broken".utf8).write(to: URL(fileURLWithPath: path))
        guard case .failure = reloader.reload() else { return XCTFail("a broken file must be refused") }
        XCTAssertEqual(registry.authenticate(apiKey: "new-key")?.id, "new", "previous set stays in force")

        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        guard case .failure = reloader.reload() else { return XCTFail("a file without applications must be refused") }
        XCTAssertEqual(registry.all.count, 1)
    }
}
