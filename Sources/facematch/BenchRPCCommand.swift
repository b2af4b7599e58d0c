import ArgumentParser
import Benchmarks
import MatchClient

/// `facematch bench-rpc`: load benchmark against a running server (Sources/Benchmarks), with
/// the targets from the service's requirements. scripts/bench-rpc.sh starts the server and runs it.
struct BenchRPCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-rpc",
        abstract: "Load-benchmark a running server with Verify calls (see scripts/bench-rpc.sh).")

    @OptionGroup var remote: RemoteOptions

    @Option(name: .long, help: "Image sent with every Verify (e.g. an 800 px JPEG).")
    var image: String

    @Option(name: .long, help: "Sequential calls in phase (a).")
    var sequential: Int = 40

    @Option(name: .long, help: "Seconds each concurrent phase runs.")
    var duration: Double = 10

    @Option(name: .long, help: "Server process id, to report its resident memory before/after overload.")
    var serverPid: Int32?

    @Option(name: .long, help: "Least milliseconds a client waits after RESOURCE_EXHAUSTED before retrying (or the server's retry_after_ms if longer), jittered ±20% as gRPC clients do.")
    var backoffMs: Int = 10

    @Flag(name: .long, help: "Retry after --backoff-ms alone, ignoring the server's retry_after_ms (a retry storm).")
    var ignorePushback = false

    func run() async throws {
        let (host, port) = try MatchClient.parseAddress(remote.address)
        let benchmark = RPCLoadBenchmark(
            host: host, port: port, apiKey: try remote.apiKey(), timeout: remote.timeout, image: try ImageFile.read(image),
            sequential: sequential, duration: duration, serverPid: serverPid, backoffMs: backoffMs,
            ignorePushback: ignorePushback)
        print(try await benchmark.run())
    }
}
