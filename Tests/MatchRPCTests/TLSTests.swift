import Logging
import MatchClient
import NIOCore
import NIOPosix
import NIOSSL
import Wire
import XCTest
@testable import MatchRPC

/// TLS 1.3 and mTLS through real sockets: the server's TLS, MatchClient's, and an application
/// bound to a client certificate. Certificates come from scripts/dev-certs.sh (TestCertificates).
final class TLSTests: XCTestCase {
    private let logger = Logger(label: "tls-test")

    private func serverTLS(_ pair: (certificate: String, key: String), clientCA: String? = nil) throws -> ServerTLS {
        try ServerTLS(files: ServerTLSFiles(certificate: pair.certificate, privateKey: pair.key, clientCA: clientCA),
                      logger: logger)
    }

    private static func client(_ server: TestServer, ca: String, pair: (certificate: String, key: String)? = nil,
                        key: String = TestServer.shopKey) async throws -> MatchClient {
        let tls = try MatchClientTLS(caFile: ca, certificateFile: pair?.certificate, keyFile: pair?.key)
        return try await MatchClient.connect(host: "127.0.0.1", port: server.server.port, apiKey: key, tls: tls)
    }

    /// The error of connecting and calling Health, or nil when both succeeded.
    private func failure(_ body: @escaping @Sendable () async throws -> MatchClient) async throws -> MatchClientError? {
        try await within(20) {
            do {
                let client = try await body()
                defer { Task { await client.close() } }
                _ = try await client.health()
                return nil
            } catch let error as MatchClientError {
                return error
            }
        }
    }

    private func assertTLSRefused(_ error: MatchClientError?, file: StaticString = #filePath, line: UInt = #line) {
        guard case .tlsFailure = error else {
            return XCTFail("expected a TLS refusal, got \(String(describing: error))", file: file, line: line)
        }
        XCTAssertEqual(error?.code, .unavailable, file: file, line: line)
    }

    /// The server refused the client's certificate: under TLS 1.3 that happens after the client's
    /// side of the handshake, so the client sees the alert (`.tlsFailure`) or, when its request
    /// crossed the alert, the connection closing.
    private func assertClientRefused(_ error: MatchClientError?, file: StaticString = #filePath, line: UInt = #line) {
        switch error {
        case .tlsFailure?, .connectionClosed?: break
        default: XCTFail("expected the server to refuse the client, got \(String(describing: error))", file: file, line: line)
        }
    }

    func testCallsSucceedOverTLS13() async throws {
        let certs = try TestCertificates.get()
        let server = try await TestServer.start(tls: try serverTLS(certs.a("server")))
        let client = try await Self.client(server, ca: certs.caA)
        let report = try await client.compare(source: Array("face:2".utf8), target: Array("face:2:0.1".utf8))
        XCTAssertEqual(report.status, .approved)
        XCTAssertEqual(server.server.metrics.callCount(method: "Compare", code: "OK"), 1)
        await client.close()
        await server.server.shutdown()
    }

    func testPlaintextClientGetsNothingFromATLSServer() async throws {
        let certs = try TestCertificates.get()
        let server = try await TestServer.start(tls: try serverTLS(certs.a("server")))
        let error = try await failure { try await MatchClient.connect(host: "127.0.0.1", port: server.server.port, apiKey: TestServer.shopKey) }
        XCTAssertNotNil(error)
        XCTAssertEqual(server.server.metrics.callCount(method: "Health", code: "OK"), 0)
        await server.server.shutdown()
    }

    func testServerCertificateFromAnotherCAIsRefused() async throws {
        let certs = try TestCertificates.get()
        let server = try await TestServer.start(tls: try serverTLS(certs.a("server")))
        assertTLSRefused(try await failure { try await Self.client(server, ca: certs.caB) })
        let control = try await failure { try await Self.client(server, ca: certs.caA) }
        XCTAssertNil(control, "control: the right CA")
        await server.server.shutdown()
    }

    func testExpiredServerCertificateIsRefusedByTheClientAndNotLoadedByTheServer() async throws {
        let certs = try TestCertificates.get()
        XCTAssertThrowsError(try serverTLS(certs.a("expired"))) { error in
            XCTAssertEqual(error as? TLSFileError, .expired(path: certs.a("expired").certificate))
        }
        // A server that does not check (not ours) serves it anyway: the client refuses it.
        let expired = try await RawTLSServer.start(certs.a("expired"))
        let tls = try MatchClientTLS(caFile: certs.caA)
        do {
            _ = try await within(20) { try await MatchClient.connect(host: "127.0.0.1", port: expired.port, apiKey: "k", tls: tls) }
            XCTFail("an expired server certificate was accepted")
        } catch let error as MatchClientError {
            assertTLSRefused(error)
        }
        let valid = try await RawTLSServer.start(certs.a("server"))
        let control = try await within(20) { try await MatchClient.connect(host: "127.0.0.1", port: valid.port, apiKey: "k", tls: tls) }
        await control.close()
        try await expired.close()
        try await valid.close()
    }

    func testMTLSRefusesClientsWithoutACertificateFromTheClientCA() async throws {
        let certs = try TestCertificates.get()
        let server = try await TestServer.start(tls: try serverTLS(certs.a("server"), clientCA: certs.caA))
        assertClientRefused(try await failure { try await Self.client(server, ca: certs.caA) })
        assertClientRefused(try await failure { try await Self.client(server, ca: certs.caA, pair: certs.b("client")) })
        XCTAssertEqual(server.server.metrics.callCount(method: "Health", code: "OK"), 0)
        let withCertificate = try await failure { try await Self.client(server, ca: certs.caA, pair: certs.a("client")) }
        XCTAssertNil(withCertificate)
        XCTAssertEqual(server.server.metrics.callCount(method: "Health", code: "OK"), 1)
        await server.server.shutdown()
    }

    func testTLS12OnlyClientIsRefused() async throws {
        let certs = try TestCertificates.get()
        let server = try await TestServer.start(tls: try serverTLS(certs.a("server")))
        func offering(maximum: TLSVersion) throws -> MatchClientTLS {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certs.caA))
            configuration.minimumTLSVersion = .tlsv12
            configuration.maximumTLSVersion = maximum
            return try MatchClientTLS(configuration: configuration)
        }
        let old = try offering(maximum: .tlsv12), current = try offering(maximum: .tlsv13)
        let port = server.server.port
        assertTLSRefused(try await failure { try await MatchClient.connect(host: "127.0.0.1", port: port, apiKey: TestServer.shopKey, tls: old) })
        let control = try await failure { try await MatchClient.connect(host: "127.0.0.1", port: port, apiKey: TestServer.shopKey, tls: current) }
        XCTAssertNil(control, "control: the same client offering TLS 1.3")
        await server.server.shutdown()
    }

    /// shop is bound by subject CN, bank by DNS SAN, ops by URI SAN; plain has no binding.
    func testApplicationsBoundToACertificateNeedBothKeyAndCertificate() async throws {
        let certs = try TestCertificates.get()
        let applications = [
            Application(id: "shop", keyDigest: APIKeyDigest(key: "shop-key"), clientCertificate: .subjectCommonName("shop-backend")),
            Application(id: "bank", keyDigest: APIKeyDigest(key: "bank-key"),
                        clientCertificate: .dnsName("BANK-backend.clients.facematch.test")),
            Application(id: "ops", keyDigest: APIKeyDigest(key: "ops-key"), clientCertificate: .uri("spiffe://facematch.test/ops-backend")),
            Application(id: "plain", keyDigest: APIKeyDigest(key: "plain-key")),
        ]
        let server = try await TestServer.start(tls: try serverTLS(certs.a("server"), clientCA: certs.caA),
                                                applications: applications)
        func status(_ key: String, _ backend: String) async throws -> RPCStatusCode? {
            try await failure { try await Self.client(server, ca: certs.caA, pair: certs.a(backend), key: key) }?.code
        }
        let shop = try await status("shop-key", "shop-backend")
        let bank = try await status("bank-key", "bank-backend")
        let ops = try await status("ops-key", "ops-backend")
        XCTAssertEqual([shop, bank, ops], [nil, nil, nil], "each key over its own certificate")
        let plain = try await status("plain-key", "shop-backend")
        XCTAssertNil(plain, "an unbound application takes any certificate the CA signed")
        let shopOverBank = try await status("shop-key", "bank-backend")
        let bankOverShop = try await status("bank-key", "shop-backend")
        let opsOverOther = try await status("ops-key", "client")
        XCTAssertEqual([shopOverBank, bankOverShop, opsOverOther], [.permissionDenied, .permissionDenied, .permissionDenied])
        let wrongKey = try await status("nobody", "shop-backend")
        XCTAssertEqual(wrongKey, .unauthenticated)
        await server.server.shutdown()

        // Without mTLS nobody is identified: the bound key is refused UNAUTHENTICATED.
        let plaintext = try await TestServer.start(applications: applications)
        let noCertificate = try await failure {
            try await MatchClient.connect(host: "127.0.0.1", port: plaintext.server.port, apiKey: "shop-key")
        }
        XCTAssertEqual(noCertificate?.code, .unauthenticated)
        await plaintext.server.shutdown()
    }

    func testPlaintextIsRefusedBeyondLoopbackUnlessAllowed() async throws {
        for host in ["127.0.0.1", "127.8.9.10", "::1", "localhost"] {
            XCTAssertTrue(PlaintextListenPolicy.isLoopback(host), host)
            XCTAssertFalse(try PlaintextListenPolicy.check(host: host, tls: false, allowPlaintext: false), host)
        }
        for host in ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "example.org", "localhost.example.org"] {
            XCTAssertFalse(PlaintextListenPolicy.isLoopback(host), host)
            XCTAssertThrowsError(try PlaintextListenPolicy.check(host: host, tls: false, allowPlaintext: false), host)
            XCTAssertTrue(try PlaintextListenPolicy.check(host: host, tls: false, allowPlaintext: true), host)
            XCTAssertFalse(try PlaintextListenPolicy.check(host: host, tls: true, allowPlaintext: false), host)
        }
        // The server itself refuses before binding anything.
        do {
            _ = try await MatchServer.start(settings: ServerSettings(host: "0.0.0.0", port: 0, metricsPort: nil),
                                            registry: ApplicationRegistry([]), engines: .uniform(FakeAnalyzerFactory(gate: nil)),
                                            stores: .single(InMemoryStore()), logger: logger)
            XCTFail("plaintext on 0.0.0.0 was allowed")
        } catch let refusal as PlaintextListenPolicy.Refusal {
            XCTAssertTrue(refusal.description.contains("--insecure-plaintext"), refusal.description)
        }
    }
}

/// A bare TLS listener with any certificate (one the server proper would refuse to load).
struct RawTLSServer {
    let listener: Channel
    var port: Int { listener.localAddress?.port ?? 0 }

    static func start(_ pair: (certificate: String, key: String)) async throws -> RawTLSServer {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(pair.certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: pair.key, format: .pem)))
        let context = try NIOSSLContext(configuration: configuration)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return RawTLSServer(listener: listener)
    }

    func close() async throws { try await listener.close() }
}
