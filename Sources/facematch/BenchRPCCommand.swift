import ArgumentParser
import Foundation
import MatchClient
import NIOConcurrencyHelpers
import Wire

/// `facematch bench-rpc`: load benchmark against a running server (loopback, release build):
/// (a) one client, sequential Verify; (b) 8 concurrent clients; (c) 64 concurrent clients,
/// overload. Prints a table with the targets from the service's requirements.
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

    private static let subject = "bench-rpc-subject"

    func run() async throws {
        let bytes = try readImage(image)
        let setup = try await remote.connect()
        _ = try await setup.enroll(subject: Self.subject, image: bytes, vendorData: "", replace: true, timeout: remote.deadline)
        await setup.close()

        let sequentialRun = try await runClients(count: 1, calls: sequential, duration: nil, image: bytes)
        let eight = try await runClients(count: 8, calls: nil, duration: duration, image: bytes)
        let rssBefore = serverPid.flatMap(ServerMemory.residentKiB(pid:))
        let overload = try await runClients(count: 64, calls: nil, duration: duration, image: bytes)
        let rssAfter = serverPid.flatMap(ServerMemory.residentKiB(pid:))

        let table = BenchTable(sequential: sequentialRun, eight: eight, overload: overload,
                               rssBeforeKiB: rssBefore, rssAfterKiB: rssAfter, duration: duration)
        print(table.render())
    }

    /// `count` connections, each on its own thread, calling Verify in a loop, `calls` times or for
    /// `duration` seconds. Each sends one frame encoded up front (one call in flight per
    /// connection, so its call id can repeat).
    private func runClients(count: Int, calls: Int?, duration: Double?, image: [UInt8]) async throws -> BenchRun {
        let (host, port) = try MatchClient.parseAddress(remote.address)
        let payload = VerifyRequestMessage(subjectID: Self.subject, image: image).serialized()
        let timeoutMillis = UInt32(max(1, min(remote.timeout * 1000, 86_400_000)))
        let frame = FrameEncoder.frame(body: RequestEnvelope(callID: 1, method: .verify, apiKey: try remote.apiKey(),
                                                             timeoutMillis: timeoutMillis, payload: payload).serialized())
        let connections = try (0..<count).map { _ in try BlockingWireConnection(host: host, port: port) }
        let results = NIOLockedValueBox(BenchRun())
        let backoff = UInt64(max(0, backoffMs)) * 1_000_000
        let honourPushback = !ignorePushback
        let start = DispatchTime.now().uptimeNanoseconds
        let end = duration.map { start + UInt64($0 * 1e9) }
        let finished = DispatchGroup()
        for connection in connections {
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                var done = 0
                while true {
                    if let calls, done >= calls { break }
                    if let end, DispatchTime.now().uptimeNanoseconds >= end { break }
                    done += 1
                    let began = DispatchTime.now().uptimeNanoseconds
                    var code = RPCStatusCode.unknown
                    var pushback: UInt64 = 0
                    if let answer = try? connection.call(frame: frame) {
                        code = answer.status
                        if honourPushback { pushback = UInt64(answer.retryAfterMillis) * 1_000_000 }
                    }
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6
                    results.withLockedValue { $0.record(code: code, milliseconds: ms) }
                    if code == .unknown { break }  // the connection failed: this client stops
                    let wait = max(backoff, pushback)
                    if code == .resourceExhausted, wait > 0 {
                        // Jitter (±20%, as gRPC clients) keeps refused clients from retrying in lockstep.
                        let jittered = UInt64.random(in: wait - wait / 5...wait + wait / 5)
                        var pause = timespec(tv_sec: Int(jittered / 1_000_000_000), tv_nsec: Int(jittered % 1_000_000_000))
                        nanosleep(&pause, nil)
                    }
                }
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            finished.notify(queue: .global()) { continuation.resume() }
        }
        var run = results.withLockedValue { $0 }
        run.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return run
    }
}

/// Latencies of one phase, split by outcome.
struct BenchRun: Sendable {
    var ok: [Double] = []
    var exhausted: [Double] = []
    var otherErrors: [String: Int] = [:]
    var wallSeconds = 0.0

    mutating func record(code: RPCStatusCode, milliseconds: Double) {
        switch code {
        case .ok: ok.append(milliseconds)
        case .resourceExhausted: exhausted.append(milliseconds)
        default: otherErrors[code.name, default: 0] += 1
        }
    }

    var throughput: Double { wallSeconds > 0 ? Double(ok.count) / wallSeconds : 0 }
}
