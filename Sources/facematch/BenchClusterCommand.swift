import ArgumentParser
import Benchmarks
import EmbeddingStore
import EnrollmentCluster
import Foundation
import Logging
import MatchRPC
import TemplateCrypto

/// `facematch bench-cluster`: two cluster nodes in this process on one PostgreSQL (use a
/// throw-away database: scripts/bench-cluster.sh). Enrols at a fixed rate on node A and reports
/// the enrol latency through PostgreSQL, the commit-to-apply lag on follower B, the store-level
/// verify time on B against a plain local store, cache rebuild times after COPY-loading
/// 100k and 1M templates, and the time `rotate-master-key` takes over every data key then in
/// the database (one per template loaded).
struct BenchClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-cluster", abstract: "Benchmark the PostgreSQL-backed cluster store (see scripts/bench-cluster.sh).")

    @Option(help: "PostgreSQL URL of a throw-away database.")
    var postgres: String
    @Option(help: "Scratch directory for the nodes' caches (created, removed afterwards).")
    var dir = NSTemporaryDirectory() + "facematch-bench-cluster"
    @Option(help: "Enrolments per second on node A.")
    var rate = 50
    @Option(help: "Seconds of enrolment.")
    var seconds = 20
    @Option(help: "Template counts to load and rebuild, comma-separated (0: skip).")
    var rebuild = "100000,1000000"
    @Flag(help: "Re-wrap every data key under a new master key at the end, timed.")
    var rotate = false

    func run() async throws {
        var logger = Logger(label: "bench-cluster")
        logger.logLevel = .warning
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let masterKey = MasterKey.random()
        let a = try await ClusterNode.start(url: postgres, dataDirectory: dir + "/a", model: .dlib,
                                                 masterKey: masterKey,
                                                 options: StoreOptions(masterKey: masterKey), logger: logger)
        let b = try await ClusterNode.start(url: postgres, dataDirectory: dir + "/b", model: .dlib,
                                                 masterKey: masterKey,
                                                 options: StoreOptions(masterKey: masterKey), logger: logger)
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; nodes A and B in one process, PostgreSQL on loopback")

        let count = rate * seconds
        let rate = self.rate
        let enrolSeconds = try await onThread { try Self.paced(count: count, rate: rate, a) }
        try await waitUntil(deadline: 30) { b.state.appliedPosition >= a.state.appliedPosition }
        let lags = Samples(Array(b.state.recentLags.suffix(count)))
        let enrol = Samples(enrolSeconds)
        row("enrol through PostgreSQL (commit + own cache), p50 / p99", ms(enrol.percentile(50)), ms(enrol.percentile(99)))
        row("replication lag A -> B at \(rate)/s, p50 / p99", ms(lags.percentile(50)), ms(lags.percentile(99)))

        let (follower, local) = try verifyTimes(b, count: count)
        row("verify (store lookup) on follower B vs plain local store, p50", us(follower.percentile(50)), us(local.percentile(50)))
        try a.close()
        try b.close()

        for n in rebuild.split(separator: ",").compactMap({ Int($0) }) where n > 0 {
            let load = monotonicSeconds()
            try await TemplateImport.copy(url: postgres, namespace: "rebuild\(n)", count: n, masterKey: masterKey,
                                          model: .dlib, logger: logger) { i in
                ("r\(i)", BenchVectors.vector(20_000_000 + i))
            }
            let loadSeconds = monotonicSeconds() - load
            let (templates, secs) = try await ClusterNode.rebuildCache(url: postgres, dataDirectory: dir + "/rebuild",
                                                                       model: .dlib, masterKey: masterKey,
                                                                       options: StoreOptions(masterKey: masterKey),
                                                                       logger: logger)
            row("cache rebuild, \(templates) templates in PostgreSQL (COPY of \(n): \(String(format: "%.1f", loadSeconds)) s)",
                String(format: "%.1f s", secs), String(format: "%.0f templates/s", Double(templates) / secs))
        }
        if rotate {
            let outcome = try await MasterKeyRotation.rotate(url: postgres, from: masterKey, to: MasterKey.random(), logger: logger)
            row("rotate-master-key: \(outcome.rewrapped) data keys re-wrapped in one transaction",
                String(format: "%.1f s", outcome.seconds),
                String(format: "%.0f keys/s", Double(outcome.rewrapped) / outcome.seconds))
        }
    }

    /// One enrolment every 1/rate s on A (pacing by the clock, as a steady client would); the
    /// latency of each.
    private static func paced(count: Int, rate: Int, _ a: ClusterStore) throws -> [Double] {
        var latencies: [Double] = []
        let start = monotonicSeconds()
        for i in 0..<count {
            let due = start + Double(i) / Double(rate)
            let wait = due - monotonicSeconds()
            if wait > 0 { usleep(UInt32(wait * 1e6)) }
            let t = monotonicSeconds()
            _ = try a.enroll(namespace: "lag", subject: "s\(i)", vector: BenchVectors.vector(i), vendorData: [], mode: .append)
            latencies.append(monotonicSeconds() - t)
        }
        return latencies
    }

    /// Store-level verify on the follower's cache against a plain store holding the same templates.
    private func verifyTimes(_ b: ClusterStore, count: Int) throws -> (Samples, Samples) {
        let plain = EmbeddingStoreAdapter(store: try EmbeddingStore.open(directory: dir + "/plain", modelID: FaceModelID.dlib.rawValue,
                                                                                options: StoreOptions(masterKey: MasterKey.random())))
        for i in 0..<count {
            _ = try plain.enroll(namespace: "lag", subject: "s\(i)", vector: BenchVectors.vector(i), vendorData: [], mode: .append)
        }
        var onFollower: [Double] = [], onPlain: [Double] = []
        for i in 0..<min(count, 2000) {
            let query = BenchVectors.vector(i)
            var t = monotonicSeconds()
            _ = try b.bestDistance(namespace: "lag", subject: "s\(i)", vector: query)
            onFollower.append(monotonicSeconds() - t)
            t = monotonicSeconds()
            _ = try plain.bestDistance(namespace: "lag", subject: "s\(i)", vector: query)
            onPlain.append(monotonicSeconds() - t)
        }
        return (Samples(onFollower), Samples(onPlain))
    }

    private func row(_ name: String, _ first: String, _ second: String) {
        print("\(name.padding(toLength: 92, withPad: " ", startingAt: 0))  \(first)  \(second)")
    }

    private func us(_ seconds: Double?) -> String {
        seconds.map { String(format: "%.1f µs", $0 * 1e6) } ?? "-"
    }

    private func ms(_ seconds: Double?) -> String {
        seconds.map { String(format: "%.2f ms", $0 * 1000) } ?? "-"
    }
}

/// Runs blocking work on its own thread (the cluster store's writes block their caller).
private func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Polls `condition` every 10 ms until it holds; fails after `deadline` seconds.
private func waitUntil(deadline: Double, _ condition: () -> Bool) async throws {
    let end = monotonicSeconds() + deadline
    while !condition() {
        guard monotonicSeconds() < end else { throw ValidationError("follower did not catch up within \(deadline) s") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// Monotonic seconds, from the benchmarks' clock.
private func monotonicSeconds() -> Double {
    Double(BenchClock.nanoseconds()) / 1e9
}
