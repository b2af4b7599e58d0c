import ArgumentParser
import EmbeddingStore
import Foundation

/// `facematch bench-store`: enrolment latency, batch throughput, exact top-5 search at 100k and
/// 1M templates on one core, open + recover time and resident memory. Build with `-c release`.
struct BenchStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-store", abstract: "Benchmark the embedding store (release build).")

    @Option(help: "Scratch directory (created, removed afterwards unless --keep).")
    var dir = NSTemporaryDirectory() + "facematch-bench-store"
    @Option(help: "Templates in the large namespace.")
    var templates = 1_000_000
    @Option(help: "Search queries per size.")
    var queries = 21
    @Option(help: "Single enrolments timed for latency.")
    var enrols = 300
    @Flag(help: "Keep the scratch directory.")
    var keep = false
    @Option(help: "Internal: open the store at this path, print open time and RSS, exit.")
    var openOnly: String?

    func run() throws {
        if let path = openOnly { return try openAndReport(path) }
        try? FileManager.default.removeItem(atPath: dir)
        defer { if !keep { try? FileManager.default.removeItem(atPath: dir) } }
        let store = try EmbeddingStore.open(directory: dir, modelID: "bench")
        var rows: [(String, String)] = []

        var lat: [Double] = []
        for i in 0..<enrols {
            let v = BenchVectors.vector(10_000_000 + i)
            let t = BenchClock.now()
            try store.enroll(namespace: "latency", subject: "u\(i)", vector: v)
            lat.append(BenchClock.now() - t)
        }
        rows.append(("enrol 1 template, p50 (incl. 2x fdatasync)", BenchClock.ms(BenchStats.percentile(lat, 50))))
        rows.append(("enrol 1 template, p99", BenchClock.ms(BenchStats.percentile(lat, 99))))

        for (name, count) in [("100k", min(100_000, templates)), ("1M", templates)] {
            let t = BenchClock.now()
            var i = 0
            while i < count {
                let n = min(10_000, count - i)
                try store.enroll(namespace: name, batch: (i..<(i + n)).map {
                    Enrollment(subject: "s\($0 / 5)", vector: BenchVectors.vector($0))
                })
                i += n
            }
            let secs = BenchClock.now() - t
            rows.append(("batch enrol \(name) (10k per durable batch)", String(format: "%.0f templates/s", Double(count) / secs)))
            var fast: [Double] = [], exact: [Double] = [], fastCPU: [Double] = []
            var identical = 0
            for q in 0..<(queries + 1) {
                let query = BenchVectors.query(q, among: count)
                let c0 = BenchClock.threadCPU(), t0 = BenchClock.now()
                let a = try store.search(namespace: name, vector: query, topK: 5)
                let t1 = BenchClock.now(), c1 = BenchClock.threadCPU()
                let b = try store.exhaustiveSearch(namespace: name, vector: query, topK: 5)
                let t2 = BenchClock.now()
                if q == 0 { continue }  // warm-up
                fast.append(t1 - t0)
                fastCPU.append(c1 - c0)
                exact.append(t2 - t1)
                if a == b && a.count == 5 { identical += 1 }
            }
            rows.append(("search top-5 \(name), sketch+exact re-rank, median", BenchClock.ms(BenchStats.percentile(fast, 50))))
            rows.append(("search top-5 \(name), sketch+exact re-rank, p90", BenchClock.ms(BenchStats.percentile(fast, 90))))
            rows.append(("search top-5 \(name), sketch+exact re-rank, CPU median", BenchClock.ms(BenchStats.percentile(fastCPU, 50))))
            rows.append(("search top-5 \(name), full Float32 scan, median", BenchClock.ms(BenchStats.percentile(exact, 50))))
            rows.append(("search \(name): results identical to full scan", "\(identical)/\(queries)"))
        }
        let stats = store.stats()
        rows.append(("store files on disk", String(format: "%.0f MB", Double(stats.fileBytes) / 1e6)))
        rows.append(("bench process RSS (holds the page cache it wrote)", BenchStats.rss()))

        // Open + recover in a fresh process so its RSS is the store's alone.
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        for run in 0..<3 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["bench-store", "--open-only", dir]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
                if parts.count == 2 { rows.append(("open run \(run + 1): " + parts[0], parts[1])) }
            }
        }
        print(BenchStats.table(rows))
    }

    private func openAndReport(_ path: String) throws {
        let rss0 = BenchStats.rss()
        let t = BenchClock.now(), cpu = BenchClock.cpu()
        let store = try EmbeddingStore.open(directory: path, modelID: "bench")
        let opened = BenchClock.now() - t, openedCPU = BenchClock.cpu() - cpu
        let all = store.stats()
        print("open + recover \(all.templates) templates, wall (CPU)\t\(BenchClock.ms(opened)) (\(BenchClock.ms(openedCPU)))")
        let stats = try store.stats(namespace: "1M")
        print("RSS before open -> after open\t\(rss0) -> \(BenchStats.rss())")
        _ = try store.search(namespace: "1M", vector: BenchVectors.query(1, among: stats.templates), topK: 5)
        print("RSS after one 1M search\t\(BenchStats.rss())")
    }
}

enum BenchVectors {
    /// Deterministic unit vector number `i`.
    static func vector(_ i: Int) -> [Float] {
        var s = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 &+ 12345
        var v = [Float](repeating: 0, count: 128)
        var norm: Float = 0
        for d in 0..<128 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            v[d] = Float(Int(z % 20001) - 10000) / 10000
            norm += v[d] * v[d]
        }
        let n = norm.squareRoot()
        return v.map { $0 / n }
    }

    /// A stored vector plus noise, so each query has a clear nearest subject.
    static func query(_ q: Int, among count: Int) -> [Float] {
        let base = vector((q &* 7919) % max(1, count))
        let noise = vector(50_000_000 + q)
        return zip(base, noise).map { $0 + 0.05 * $1 }
    }
}

enum BenchClock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// User + system CPU seconds of this process, to tell work from waiting on a busy machine.
    static func cpu() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6
    }

    /// CPU seconds of the calling thread: search time without waiting for a core.
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
}

enum BenchStats {
    static func percentile(_ xs: [Double], _ p: Double) -> Double {
        guard !xs.isEmpty else { return .nan }
        let s = xs.sorted()
        return s[min(s.count - 1, Int((p / 100) * Double(s.count - 1) + 0.5))]
    }

    static func rss() -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? "VmRSS: ?"
        return line.dropFirst(6).trimmingCharacters(in: .whitespaces)
    }

    static func table(_ rows: [(String, String)]) -> String {
        let w = rows.map(\.0.count).max() ?? 0
        let line = String(repeating: "-", count: w + 22)
        return ([line] + rows.map { $0.0.padding(toLength: w, withPad: " ", startingAt: 0) + " | " + $0.1 } + [line]).joined(separator: "\n")
    }
}
