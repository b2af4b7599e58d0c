import Logging
import MatchClient
import NIOPosix
import Wire
import XCTest
@testable import MatchRPC

/// A store whose writes are refused as by a cluster node whose database is down.
private final class RefusingStore: EnrollmentStoring {
    func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8], mode: EnrollmentMode) throws -> Int {
        throw ServiceError.unavailable("database down", retryAfterMillis: 1234)
    }
    func bestDistance(namespace: String, subject: String, vector: [Float]) throws -> Double? { nil }
    func enrollmentCount(namespace: String, subject: String) throws -> Int { 0 }
    func search(namespace: String, vector: [Float], topK: Int, maxDistance: Double) throws -> [StoreHit] { [] }
    func delete(namespace: String, subject: String) throws -> Bool {
        throw ServiceError.unavailable("database down", retryAfterMillis: 1234)
    }
    func stats(namespace: String?) throws -> EnrollmentStats { EnrollmentStats(subjects: 0, vectors: 0, bytes: 0) }
    func eraseTemplates(namespace: String, enrolledBefore cutoff: Date) throws -> Int {
        throw ServiceError.unavailable("database down", retryAfterMillis: 1234)
    }
    func close() throws {}
    var replication: ReplicationStatus? {
        ReplicationStatus(degraded: true, appliedPosition: 3, headPosition: 5, lagSeconds: 0.25)
    }
}

final class MatchClientPoolTests: XCTestCase {
    private func refusingServer() async throws -> MatchServer {
        var logger = Logger(label: "refusing")
        logger.logLevel = .critical
        let registry = ApplicationRegistry([Application(id: "shop", keyDigest: APIKeyDigest(key: TestServer.shopKey))])
        let settings = ServerSettings(host: "127.0.0.1", port: 0, metricsPort: nil, workers: 1, queueCapacity: 4,
                                      idleTimeout: .seconds(60), frameTimeout: .seconds(30), shutdownGrace: .seconds(1))
        return try await MatchServer.start(settings: settings, registry: registry, engines: .uniform(FakeAnalyzerFactory(gate: nil)),
                                           stores: .single(RefusingStore()), logger: logger)
    }

    /// A loopback port with nothing listening.
    private func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try XCTUnwrap(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    func testParsesCommaSeparatedAddresses() throws {
        XCTAssertEqual(try MatchClientPool.parseAddresses("a:1, b:2,"), ["a:1", "b:2"])
        for bad in ["", ",", "a:1,b", "a:1,b:0"] {
            XCTAssertThrowsError(try MatchClientPool.parseAddresses(bad), bad)
        }
    }

    func testCallsSkipAServerThatRefusesConnections() async throws {
        let good = try await TestServer.start()
        let dead = try await closedPort()
        let pool = try MatchClientPool(addresses: ["127.0.0.1:\(dead)", "127.0.0.1:\(good.server.port)"],
                                       apiKey: TestServer.shopKey)
        for i in 0..<4 {
            let result = try await pool.withClient { try await $0.enroll(subject: "s\(i)", image: Array("face:\(i)".utf8)) }
            XCTAssertTrue(result.enrolled)
        }
        XCTAssertEqual(try good.store.stats(namespace: nil).vectors, 4)
        await pool.close()
        await good.server.shutdown()
    }

    func testUnavailableFailsOverAndTheLastRefusalKeepsItsRetryHint() async throws {
        let refusing = try await refusingServer()
        let good = try await TestServer.start()
        let pool = try MatchClientPool(addresses: ["127.0.0.1:\(refusing.port)", "127.0.0.1:\(good.server.port)"],
                                       apiKey: TestServer.shopKey)
        for i in 0..<2 {
            _ = try await pool.withClient { try await $0.enroll(subject: "s\(i)", image: Array("face:\(i)".utf8)) }
        }
        XCTAssertEqual(try good.store.stats(namespace: nil).vectors, 2, "both calls, whichever server they started at, land on the good one")
        await pool.close()

        let alone = try MatchClientPool(addresses: ["127.0.0.1:\(refusing.port)"], apiKey: TestServer.shopKey)
        do {
            _ = try await alone.withClient { try await $0.deleteEnrollment(subject: "s0") }
            XCTFail("a refusing server cannot succeed")
        } catch let error as MatchClientError {
            XCTAssertEqual(error.code, .unavailable)
            XCTAssertEqual(error.retryAfterMilliseconds, 1234)
        }
        await alone.close()
        await refusing.shutdown()
        await good.server.shutdown()
    }

    func testHealthReportsADegradedStoreAndItsLag() async throws {
        let refusing = try await refusingServer()
        let good = try await TestServer.start()
        let degraded = try await MatchClient.connect(host: "127.0.0.1", port: refusing.port, apiKey: TestServer.shopKey)
        let health = try await degraded.health()
        XCTAssertTrue(health.serving, "reads still answer")
        XCTAssertTrue(health.storeDegraded)
        XCTAssertEqual(health.replicationLagMs, 250)
        let plain = try await good.client()
        let plainHealth = try await plain.health()
        XCTAssertFalse(plainHealth.storeDegraded)
        XCTAssertEqual(plainHealth.replicationLagMs, 0)
        await degraded.close()
        await plain.close()
        await refusing.shutdown()
        await good.server.shutdown()
    }

    func testOtherErrorsAreAnsweredWithoutFailover() async throws {
        let good = try await TestServer.start()
        let pool = try MatchClientPool(addresses: ["127.0.0.1:\(good.server.port)", "127.0.0.1:\(good.server.port)"],
                                       apiKey: TestServer.shopKey)
        do {
            _ = try await pool.withClient { try await $0.enroll(subject: "s", image: Array("not an image".utf8)) }
            XCTFail("a non-image cannot be enrolled")
        } catch let error as MatchClientError {
            XCTAssertEqual(error.code, .invalidArgument)
        }
        XCTAssertEqual(good.server.metrics.callCount(method: "Enroll", code: "INVALID_ARGUMENT"), 1)
        await pool.close()
        await good.server.shutdown()
    }
}
