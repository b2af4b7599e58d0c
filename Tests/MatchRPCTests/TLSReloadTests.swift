import Foundation
import Logging
import MatchClient
import XCTest
@testable import MatchRPC

/// SIGHUP's certificate reload (`ServerTLS.reload`, which SignalService calls) under traffic:
/// open connections keep their TLS session, new ones get the new certificate, and files that do
/// not load leave the old certificate in force.
final class TLSReloadTests: XCTestCase {
    private enum Event: Sendable {
        case existing(Bool)
        case fresh(Bool)
    }

    private struct Live {
        let dir: URL
        var files: ServerTLSFiles {
            ServerTLSFiles(certificate: dir.appendingPathComponent("live.pem").path,
                           privateKey: dir.appendingPathComponent("live.key").path)
        }

        func install(_ pair: (certificate: String, key: String)) throws {
            try replace(files.certificate, with: Data(contentsOf: URL(fileURLWithPath: pair.certificate)))
            try replace(files.privateKey, with: Data(contentsOf: URL(fileURLWithPath: pair.key)))
        }

        func replace(_ path: String, with data: Data) throws {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        }
    }

    private func liveFiles() throws -> Live {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facematch-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return Live(dir: dir)
    }

    private static func connect(_ port: Int, ca: String) async throws -> MatchClient {
        try await MatchClient.connect(host: "127.0.0.1", port: port, apiKey: TestServer.shopKey,
                                      tls: try MatchClientTLS(caFile: ca))
    }

    func testReloadUnderTrafficKeepsConnectionsAndServesTheNewCertificateToNewOnes() async throws {
        let certs = try TestCertificates.get()
        let live = try liveFiles()
        try live.install(certs.a("server"))
        let bundle = live.dir.appendingPathComponent("both-cas.pem").path
        try live.replace(bundle, with: Data(contentsOf: URL(fileURLWithPath: certs.caA)) + Data(contentsOf: URL(fileURLWithPath: certs.caB)))
        let tls = try ServerTLS(files: live.files, logger: Logger(label: "tls-reload-test"))
        let server = try await TestServer.start(tls: tls)
        let port = server.server.port

        try await within(60) {
            let existing = try await Self.connect(port, ca: certs.caA)
            let (events, sink) = AsyncStream.makeStream(of: Event.self)
            let traffic = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        while !Task.isCancelled {
                            sink.yield(.existing((try? await existing.health()) != nil))
                        }
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            let client = try? await Self.connect(port, ca: bundle)
                            sink.yield(.fresh((try? await client?.health()) != nil))
                            await client?.close()
                        }
                    }
                }
            }
            var iterator = events.makeAsyncIterator()
            var failures = 0
            /// Consumes events until `existingCalls` and `freshCalls` more succeeded.
            func consume(existingCalls: Int, freshCalls: Int) async {
                var existingOK = 0, freshOK = 0
                while existingOK < existingCalls || freshOK < freshCalls, let event = await iterator.next() {
                    switch event {
                    case .existing(let ok): if ok { existingOK += 1 } else { failures += 1 }
                    case .fresh(let ok): if ok { freshOK += 1 } else { failures += 1 }
                    }
                }
            }
            await consume(existingCalls: 40, freshCalls: 10)
            try live.install(certs.b("server"))
            XCTAssertNil(tls.reload(), "a good certificate was refused")
            await consume(existingCalls: 40, freshCalls: 10)
            traffic.cancel()
            await traffic.value
            XCTAssertEqual(failures, 0, "calls failed across the reload")

            _ = try await existing.health()  // the connection made before the reload is still up
            let onlyB = try await Self.connect(port, ca: certs.caB)
            _ = try await onlyB.health()
            await onlyB.close()
            do {
                let onlyA = try await Self.connect(port, ca: certs.caA)
                _ = try await onlyA.health()
                XCTFail("a new connection still got the old certificate")
            } catch let error as MatchClientError {
                guard case .tlsFailure = error else { return XCTFail("\(error)") }
            }
            await existing.close()
        }
        await server.server.shutdown()
    }

    func testReloadSwapsTheClientCA() async throws {
        let certs = try TestCertificates.get()
        let live = try liveFiles()
        try live.install(certs.a("server"))
        let clientCA = live.dir.appendingPathComponent("client-ca.pem").path
        try live.replace(clientCA, with: Data(contentsOf: URL(fileURLWithPath: certs.caA)))
        var files = live.files
        files.clientCA = clientCA
        let tls = try ServerTLS(files: files, logger: Logger(label: "tls-reload-test"))
        let server = try await TestServer.start(tls: tls)
        let port = server.server.port
        /// Whether a Health call with `pair` as client certificate succeeds.
        func accepted(_ pair: (certificate: String, key: String)) async throws -> Bool {
            try await within(20) {
                let tls = try MatchClientTLS(caFile: certs.caA, certificateFile: pair.certificate, keyFile: pair.key)
                do {
                    let client = try await MatchClient.connect(host: "127.0.0.1", port: port, apiKey: TestServer.shopKey, tls: tls)
                    defer { Task { await client.close() } }
                    _ = try await client.health()
                    return true
                } catch is MatchClientError {
                    return false
                }
            }
        }
        let beforeA = try await accepted(certs.a("client")), beforeB = try await accepted(certs.b("client"))
        XCTAssertEqual([beforeA, beforeB], [true, false])
        try live.replace(clientCA, with: Data(contentsOf: URL(fileURLWithPath: certs.caB)))
        XCTAssertNil(tls.reload())
        let afterA = try await accepted(certs.a("client")), afterB = try await accepted(certs.b("client"))
        XCTAssertEqual([afterA, afterB], [false, true], "clients of the new CA only")
        await server.server.shutdown()
    }

    func testFilesThatDoNotLoadKeepTheOldCertificate() async throws {
        let certs = try TestCertificates.get()
        let live = try liveFiles()
        try live.install(certs.a("server"))
        let tls = try ServerTLS(files: live.files, logger: Logger(label: "tls-reload-test"))
        let server = try await TestServer.start(tls: tls)
        let port = server.server.port

        try live.replace(live.files.certificate, with: Data("not a certificate".utf8))
        guard case .unreadable(let path, _) = tls.reload() else { return XCTFail("garbage was loaded") }
        XCTAssertEqual(path, live.files.certificate)
        try live.replace(live.files.certificate, with: Data(contentsOf: URL(fileURLWithPath: certs.b("server").certificate)))
        XCTAssertEqual(tls.reload(), .keyDoesNotMatch(certificate: live.files.certificate, key: live.files.privateKey))
        try live.install(certs.a("expired"))
        XCTAssertEqual(tls.reload(), .expired(path: live.files.certificate))

        let client = try await Self.connect(port, ca: certs.caA)
        _ = try await client.health()
        await client.close()
        await server.server.shutdown()
    }
}
