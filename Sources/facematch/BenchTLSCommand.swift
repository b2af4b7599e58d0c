import ArgumentParser
import Benchmarks
import MatchClient

/// `facematch bench-tls`: TLS's cost to a caller, against a plaintext and a TLS server that are
/// otherwise alike (Sources/Benchmarks/TLSCostBenchmark.swift; scripts/bench-tls.sh starts both).
struct BenchTLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-tls",
        abstract: "Measure TLS handshake cost and Verify latency with and without TLS (see scripts/bench-tls.sh).")

    @OptionGroup var remote: RemoteOptions

    @Option(name: .long, help: "The plaintext server to compare with, HOST:PORT (--server is the TLS one).")
    var plaintextServer: String

    @Option(name: .long, help: "Image sent with every Verify (e.g. an 800 px JPEG).")
    var image: String

    @Option(name: .long, help: "Connections opened and closed on each server.")
    var connections: Int = 200

    @Option(name: .long, help: "Sequential Verify calls on each server.")
    var calls: Int = 60

    func validate() throws {
        guard remote.tls.tlsCa != nil else { throw ValidationError("--tls-ca is required: --server is the TLS server") }
        guard connections > 0, calls > 0 else { throw ValidationError("--connections and --calls must be positive") }
    }

    func run() async throws {
        guard let tls = try remote.tls.configuration() else { return }
        let benchmark = TLSCostBenchmark(
            plaintext: try MatchClient.parseAddress(plaintextServer), tls: try MatchClient.parseAddress(remote.address),
            tlsConfiguration: tls, apiKey: try remote.apiKey(), image: try ImageFile.read(image),
            connections: connections, calls: calls)
        print(try await benchmark.run())
    }
}
