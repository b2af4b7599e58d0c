import Foundation
import XCTest

/// Certificates made at test time by scripts/dev-certs.sh (openssl), once per test process:
/// two unrelated CAs, `a` and `b`, each with a server certificate for 127.0.0.1; under `a`,
/// client certificates for the applications' backends and one that has expired.
struct TestCertificates {
    let a: URL
    let b: URL

    /// `name`.pem / `name`.key under `a`.
    func a(_ name: String) -> (certificate: String, key: String) { pair(a, name) }
    func b(_ name: String) -> (certificate: String, key: String) { pair(b, name) }
    var caA: String { a.appendingPathComponent("ca.pem").path }
    var caB: String { b.appendingPathComponent("ca.pem").path }

    private func pair(_ dir: URL, _ name: String) -> (certificate: String, key: String) {
        (dir.appendingPathComponent("\(name).pem").path, dir.appendingPathComponent("\(name).key").path)
    }

    struct SetupFailure: Error, CustomStringConvertible {
        let description: String
    }

    private static let shared: Result<TestCertificates, SetupFailure> = {
        do {
            return .success(try make())
        } catch {
            return .failure(SetupFailure(description: "making test certificates: \(error)"))
        }
    }()

    static func get() throws -> TestCertificates { try shared.get() }

    private static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func make() throws -> TestCertificates {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facematch-tls-\(UUID().uuidString)")
        let a = root.appendingPathComponent("a"), b = root.appendingPathComponent("b")
        try devCerts(a, "--server", "server", "--client", "shop-backend", "--client", "bank-backend",
                     "--client", "ops-backend", "--client", "client")
        try devCerts(a, "--days", "-1", "--server", "expired")
        try devCerts(b, "--server", "server", "--client", "client")
        return TestCertificates(a: a, b: b)
    }

    private static func devCerts(_ dir: URL, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = repo.appendingPathComponent("scripts/dev-certs.sh")
        process.arguments = [dir.path] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "scripts/dev-certs.sh exited \(process.terminationStatus)"])
        }
    }
}
