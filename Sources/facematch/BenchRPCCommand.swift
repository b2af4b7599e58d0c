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

    @Option(name: .long, help: "Milliseconds a client waits after RESOURCE_EXHAUSTED before retrying.")
    var backoffMs: Int = 10

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

    /// `count` connections each calling Verify in a loop, `calls` times or for `duration` seconds.
    private func runClients(count: Int, calls: Int?, duration: Double?, image: [UInt8]) async throws -> BenchRun {
        let results = NIOLockedValueBox(BenchRun())
        let clients = try await withThrowingTaskGroup(of: MatchClient.self) { group in
            for _ in 0..<count { group.addTask { try await remote.connect() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let end = duration.map { start + .nanoseconds(Int64($0 * 1e9)) }
        let deadline = remote.deadline
        let backoff = UInt64(max(0, backoffMs)) * 1_000_000
        await withTaskGroup(of: Void.self) { group in
            for client in clients {
                group.addTask {
                    var done = 0
                    while true {
                        if let calls, done >= calls { break }
                        if let end, clock.now >= end { break }
                        done += 1
                        let began = clock.now
                        var code = RPCStatusCode.ok
                        do {
                            _ = try await client.verify(subject: Self.subject, image: image, timeout: deadline)
                        } catch let error as MatchClientError {
                            code = error.code
                        } catch {
                            code = .unknown
                        }
                        let elapsed = began.duration(to: clock.now)
                        let ms = Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
                        results.withLockedValue { $0.record(code: code, milliseconds: ms) }
                        if code == .resourceExhausted, backoff > 0 { try? await Task.sleep(nanoseconds: backoff) }
                    }
                }
            }
        }
        let wall = start.duration(to: clock.now)
        for client in clients { await client.close() }
        var run = results.withLockedValue { $0 }
        run.wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
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
