import Foundation
import MatchClient
import NIOConcurrencyHelpers
import NIOCore
import Wire
#if canImport(Glibc)
import Glibc
#endif

/// `facematch bench-rpc`: load benchmark against a running server (loopback, release build):
/// (a) one client, sequential Verify; (b) 8 concurrent clients; (c) 64 concurrent clients,
/// overload. Each client is a blocking socket on its own thread, as wrk does, so that on a small
/// machine the load generator spends as little CPU as it can.
public struct RPCLoadBenchmark: Sendable {
    public var host: String
    public var port: Int
    public var apiKey: String
    /// Deadline sent with every call, in seconds.
    public var timeout: Double
    /// Image sent with every Verify.
    public var image: [UInt8]
    /// Sequential calls in phase (a).
    public var sequential: Int
    /// Seconds each concurrent phase runs.
    public var duration: Double
    /// The server's process id, to report its resident memory before/after overload.
    public var serverPid: Int32?
    /// Least milliseconds a client waits after RESOURCE_EXHAUSTED before retrying (or the
    /// server's retry_after_ms if longer), jittered ±20% as gRPC clients do.
    public var backoffMs: Int
    /// Retry after `backoffMs` alone, ignoring the server's retry_after_ms (a retry storm).
    public var ignorePushback: Bool

    public init(host: String, port: Int, apiKey: String, timeout: Double, image: [UInt8], sequential: Int,
                duration: Double, serverPid: Int32?, backoffMs: Int, ignorePushback: Bool) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.timeout = timeout
        self.image = image
        self.sequential = sequential
        self.duration = duration
        self.serverPid = serverPid
        self.backoffMs = backoffMs
        self.ignorePushback = ignorePushback
    }

    private static let subject = "bench-rpc-subject"

    /// Enrols the image as the Verify subject, runs the three phases and returns the table.
    public func run() async throws -> String {
        let setup = try await MatchClient.connect(host: host, port: port, apiKey: apiKey)
        _ = try await setup.enroll(subject: Self.subject, image: image, vendorData: "", replace: true,
                                   timeout: .nanoseconds(Int64(max(0.001, min(timeout, 3600)) * 1e9)))
        await setup.close()

        let sequentialRun = try await runClients(count: 1, calls: sequential, duration: nil)
        let eight = try await runClients(count: 8, calls: nil, duration: duration)
        let rssBefore = serverPid.flatMap { ProcessMemory.kibibytes("VmRSS", pid: $0) }
        let overload = try await runClients(count: 64, calls: nil, duration: duration)
        let rssAfter = serverPid.flatMap { ProcessMemory.kibibytes("VmRSS", pid: $0) }

        return RPCLoadTable(sequential: sequentialRun, eight: eight, overload: overload,
                            rssBeforeKiB: rssBefore, rssAfterKiB: rssAfter, duration: duration).render()
    }

    /// `count` connections, each on its own thread, calling Verify in a loop, `calls` times or for
    /// `duration` seconds. Each sends one frame encoded up front (one call in flight per
    /// connection, so its call id can repeat).
    private func runClients(count: Int, calls: Int?, duration: Double?) async throws -> RPCLoadRun {
        let payload = VerifyRequestMessage(subjectID: Self.subject, image: image).serialized()
        let timeoutMillis = UInt32(max(1, min(timeout * 1000, 86_400_000)))
        let frame = FrameEncoder.frame(body: RequestEnvelope(callID: 1, method: .verify, apiKey: apiKey,
                                                             timeoutMillis: timeoutMillis, payload: payload).serialized())
        let connections = try (0..<count).map { _ in try BlockingWireConnection(host: host, port: port) }
        let results = NIOLockedValueBox(RPCLoadRun())
        let backoff = UInt64(max(0, backoffMs)) * 1_000_000
        let honourPushback = !ignorePushback
        let start = BenchClock.nanoseconds()
        let end = duration.map { start + UInt64($0 * 1e9) }
        let finished = DispatchGroup()
        for connection in connections {
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                var done = 0
                while true {
                    if let calls, done >= calls { break }
                    if let end, BenchClock.nanoseconds() >= end { break }
                    done += 1
                    let began = BenchClock.nanoseconds()
                    var code = RPCStatusCode.unknown
                    var pushback: UInt64 = 0
                    if let answer = try? connection.call(frame: frame) {
                        code = answer.status
                        if honourPushback { pushback = UInt64(answer.retryAfterMillis) * 1_000_000 }
                    }
                    let ms = BenchClock.milliseconds(since: began)
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
        run.wallSeconds = BenchClock.milliseconds(since: start) / 1000
        return run
    }
}

/// Latencies of one phase, split by outcome.
struct RPCLoadRun: Sendable {
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
