import Foundation
import MatchClient
import NIOCore

/// `facematch bench-tls`: what TLS costs a caller, against two servers that differ only in TLS
/// (scripts/bench-tls.sh starts them): (1) connect, plus the TLS 1.3 handshake on the TLS
/// server, then close, `connections` times each; (2) Health (the transport alone: no engine
/// work) `connections` times and (3) Verify of the same 800 px image `calls` times, each on one
/// connection to each server. The two servers are measured alternately, so that drift in the
/// machine's load falls on both, and the Verify difference is also given as the median of the
/// paired differences (call i with TLS minus call i without).
public struct TLSCostBenchmark: Sendable {
    public var plaintext: (host: String, port: Int)
    public var tls: (host: String, port: Int)
    public var tlsConfiguration: MatchClientTLS
    public var apiKey: String
    public var image: [UInt8]
    public var connections: Int
    public var calls: Int

    public init(plaintext: (host: String, port: Int), tls: (host: String, port: Int), tlsConfiguration: MatchClientTLS,
                apiKey: String, image: [UInt8], connections: Int, calls: Int) {
        self.plaintext = plaintext
        self.tls = tls
        self.tlsConfiguration = tlsConfiguration
        self.apiKey = apiKey
        self.image = image
        self.connections = connections
        self.calls = calls
    }

    private static let subject = "bench-tls-subject"

    public func run() async throws -> String {
        var connectPlain: [Double] = [], connectTLS: [Double] = []
        for _ in 0..<connections {
            connectPlain.append(try await timedConnect(plaintext, tls: nil))
            connectTLS.append(try await timedConnect(tls, tls: tlsConfiguration))
        }
        let plainClient = try await MatchClient.connect(host: plaintext.host, port: plaintext.port, apiKey: apiKey)
        let tlsClient = try await MatchClient.connect(host: tls.host, port: tls.port, apiKey: apiKey, tls: tlsConfiguration)
        for client in [plainClient, tlsClient] {
            _ = try await client.enroll(subject: Self.subject, image: image, replace: true)
            _ = try await client.verify(subject: Self.subject, image: image)  // warm-up
        }
        var healthPlain: [Double] = [], healthTLS: [Double] = []
        for _ in 0..<connections {
            healthPlain.append(try await timed { _ = try await plainClient.health() })
            healthTLS.append(try await timed { _ = try await tlsClient.health() })
        }
        var verifyPlain: [Double] = [], verifyTLS: [Double] = []
        for _ in 0..<calls {
            verifyPlain.append(try await timed { _ = try await plainClient.verify(subject: Self.subject, image: image) })
            verifyTLS.append(try await timed { _ = try await tlsClient.verify(subject: Self.subject, image: image) })
        }
        await plainClient.close()
        await tlsClient.close()
        let paired = Samples(zip(verifyTLS, verifyPlain).map { $0 - $1 })
        return render([
            ("connect, plaintext", Samples(connectPlain)), ("connect + TLS 1.3 handshake", Samples(connectTLS)),
            ("Health, plaintext", Samples(healthPlain)), ("Health over TLS 1.3", Samples(healthTLS)),
            ("Verify, plaintext", Samples(verifyPlain)), ("Verify over TLS 1.3", Samples(verifyTLS)),
        ], pairedVerify: paired.median)
    }

    private func timedConnect(_ server: (host: String, port: Int), tls: MatchClientTLS?) async throws -> Double {
        let start = BenchClock.nanoseconds()
        let client = try await MatchClient.connect(host: server.host, port: server.port, apiKey: apiKey, tls: tls)
        let ms = BenchClock.milliseconds(since: start)
        await client.close()
        return ms
    }

    private func timed(_ body: () async throws -> Void) async throws -> Double {
        let start = BenchClock.nanoseconds()
        try await body()
        return BenchClock.milliseconds(since: start)
    }

    private func render(_ rows: [(String, Samples)], pairedVerify: Double) -> String {
        var lines = ["| what | n | median ms | p90 ms |", "|---|---:|---:|---:|"]
        for (name, samples) in rows {
            lines.append("| \(name) | \(samples.count) | \(format(samples.median)) | \(format(samples.percentile(90) ?? .nan)) |")
        }
        let handshake = rows[1].1.median - rows[0].1.median
        let health = rows[3].1.median - rows[2].1.median
        let verify = rows[5].1.median - rows[4].1.median
        lines.append("")
        lines.append("TLS adds \(format(handshake)) ms to a connection (handshake), \(format(health)) ms to a Health round trip, "
                     + "\(format(verify)) ms to Verify's median (median of paired differences \(format(pairedVerify)) ms).")
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
