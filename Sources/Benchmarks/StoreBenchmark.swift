import EmbeddingStore
import Foundation

/// `facematch bench-store`: enrolment latency, batch throughput, exact top-5 search at 100k and
/// 1M templates on one core, per-template decryption cost, open + recover time of a store of
/// exactly `templates` templates (decryption of every template included) and resident memory,
/// and master key rotation of 1M data keys. Meaningful in a release build. Open +
/// recover runs in a fresh process (`openChild`) so its memory is the store's alone.
public struct StoreBenchmark {
    /// Scratch directory, emptied first.
    public var directory: String
    public var templates: Int
    public var queries: Int
    public var enrols: Int
    /// Command line that runs `StoreBenchmark.openAndReport(directory, keyFile)` in a child process.
    public var openChild: (_ directory: String, _ keyFile: String) -> (executable: String, arguments: [String])

    public init(directory: String, templates: Int, queries: Int, enrols: Int,
                openChild: @escaping (_ directory: String, _ keyFile: String) -> (executable: String, arguments: [String])) {
        self.directory = directory
        self.templates = templates
        self.queries = queries
        self.enrols = enrols
        self.openChild = openChild
    }

    /// Runs every measurement (or, with `decryptionOnly`, only `decryptionAndOpen`'s) and returns
    /// the report table.
    public func run(decryptionOnly: Bool = false) throws -> String {
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keyFile = directory + "/master.key"
        let masterKey = try MasterKey.create(at: keyFile)
        if decryptionOnly { return Self.table(try decryptionAndOpen(masterKey: masterKey, keyFile: keyFile)) }
        let store = try EmbeddingStore.open(directory: directory + "/store", modelID: "bench", options: StoreOptions(masterKey: masterKey))
        var rows: [(String, String)] = []

        var latency: [Double] = []
        for i in 0..<enrols {
            let v = BenchVectors.vector(10_000_000 + i)
            let t = BenchClock.nanoseconds()
            try store.enroll(namespace: "latency", subject: "u\(i)", vector: v)
            latency.append(BenchClock.milliseconds(since: t))
        }
        let enrolled = Samples(latency)
        rows.append(("enrol 1 template of a new subject, p50 (incl. its fdatasyncs)", Self.ms(enrolled.percentile(50))))
        rows.append(("enrol 1 template, p99", Self.ms(enrolled.percentile(99))))

        for (name, count) in [("100k", min(100_000, templates)), ("1M", templates)] {
            let t = BenchClock.nanoseconds()
            var i = 0
            while i < count {
                let n = min(10_000, count - i)
                try store.enroll(namespace: name, batch: (i..<(i + n)).map {
                    Enrollment(subject: "s\($0 / 5)", vector: BenchVectors.vector($0))
                })
                i += n
            }
            let seconds = BenchClock.milliseconds(since: t) / 1000
            rows.append(("batch enrol \(name) (10k per durable batch)", String(format: "%.0f templates/s", Double(count) / seconds)))
            rows += try searchRows(store, namespace: name, count: count, label: name)
        }
        // The service compares by direction (StoreMetric.angular): the same files opened that way,
        // and closed again before the rows that measure memory.
        do {
            let byDirection = try EmbeddingStore.open(directory: directory + "/store", modelID: "bench",
                                                      options: StoreOptions(masterKey: masterKey, metric: .angular))
            rows += try searchRows(byDirection, namespace: "1M", count: templates, label: "1M by direction")
        }
        let stats = store.stats()
        rows.append(("store files on disk", String(format: "%.0f MB", Double(stats.fileBytes) / 1e6)))
        rows.append(("bench process RSS (holds the page cache it wrote)", Self.rss()))

        rows += try decryptionAndOpen(masterKey: masterKey, keyFile: keyFile)
        try rows += rotation(store, subjects: templates)
        return Self.table(rows)
    }

    /// Top-5 search timings over `namespace` (the sketch pre-filter with exact re-rank against the
    /// full Float32 scan, which must return the same), after one warm-up query.
    private func searchRows(_ store: EmbeddingStore, namespace: String, count: Int, label: String) throws -> [(String, String)] {
        var fast: [Double] = [], exact: [Double] = [], fastCPU: [Double] = []
        var identical = 0
        for q in 0..<(queries + 1) {
            let query = BenchVectors.query(q, among: count)
            let c0 = BenchClock.threadCPUSeconds(), t0 = BenchClock.nanoseconds()
            let a = try store.search(namespace: namespace, vector: query, topK: 5)
            let fastMs = BenchClock.milliseconds(since: t0), c1 = BenchClock.threadCPUSeconds()
            let t1 = BenchClock.nanoseconds()
            let b = try store.exhaustiveSearch(namespace: namespace, vector: query, topK: 5)
            let exactMs = BenchClock.milliseconds(since: t1)
            if q == 0 { continue }  // warm-up
            fast.append(fastMs)
            fastCPU.append((c1 - c0) * 1000)
            exact.append(exactMs)
            if a == b && a.count == 5 { identical += 1 }
        }
        return [
            ("search top-5 \(label), sketch+exact re-rank, median", Self.ms(Samples(fast).percentile(50))),
            ("search top-5 \(label), sketch+exact re-rank, p90", Self.ms(Samples(fast).percentile(90))),
            ("search top-5 \(label), sketch+exact re-rank, CPU median", Self.ms(Samples(fastCPU).percentile(50))),
            ("search top-5 \(label), full Float32 scan, median", Self.ms(Samples(exact).percentile(50))),
            ("search \(label): results identical to full scan", "\(identical)/\(queries)"),
        ]
    }

    /// Per-template decryption, swift-crypto against `TemplateCipher`, then three opens (each in a
    /// fresh process) of a store holding exactly `templates` templates, five per subject, so the
    /// open figure is for that count.
    private func decryptionAndOpen(masterKey: MasterKey, keyFile: String) throws -> [(String, String)] {
        let perTemplate = try TemplateDecryptBenchmark.run(reps: 9)
        var rows = [
            ("decrypt 1 template (128 values), swift-crypto AES.GCM.open, median of 9", String(format: "%.0f ns", perTemplate.swiftCrypto)),
            ("decrypt 1 template (128 values), TemplateCipher (OpenSSL), median of 9", String(format: "%.0f ns", perTemplate.cipher)),
            ("decrypt: swift-crypto / TemplateCipher, same run", String(format: "%.2fx", perTemplate.swiftCrypto / perTemplate.cipher)),
        ]
        let path = directory + "/open-\(templates)"
        do {
            let store = try EmbeddingStore.open(directory: path, modelID: "bench", options: StoreOptions(masterKey: masterKey))
            var i = 0
            while i < templates {
                let n = min(10_000, templates - i)
                try store.enroll(namespace: "1M", batch: (i..<(i + n)).map { Enrollment(subject: "s\($0 / 5)", vector: BenchVectors.vector($0)) })
                i += n
            }
        }
        for run in 0..<3 {
            let child = openChild(path, keyFile)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: child.executable)
            p.arguments = child.arguments
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
        return rows
    }

    /// Adds a namespace of `subjects` one-template subjects, then re-wraps every data key of the
    /// store under a new master key.
    private func rotation(_ store: EmbeddingStore, subjects: Int) throws -> [(String, String)] {
        var i = 0
        while i < subjects {
            let n = min(10_000, subjects - i)
            try store.enroll(namespace: "rotate", batch: (i..<(i + n)).map { Enrollment(subject: "r\($0)", vector: BenchVectors.vector($0)) })
            i += n
        }
        let t = BenchClock.nanoseconds()
        let report = try store.rotateMasterKey(to: .random())
        return [("rotate master key: re-wrap \(report.dataKeys) data keys, \(report.namespaces) namespaces", Self.ms(BenchClock.milliseconds(since: t)))]
    }

    /// The child's half: opens the store at `path` and prints open time and memory as
    /// tab-separated lines for the parent's table.
    public static func openAndReport(_ path: String, keyFile: String) throws {
        let rss0 = rss()
        let key = try MasterKey.load(from: keyFile)
        let t = BenchClock.nanoseconds(), cpu = BenchClock.processCPUSeconds()
        // Opened as the service opens its stores: by direction, which adds each template's 1/|v|.
        let store = try EmbeddingStore.open(directory: path, modelID: "bench", options: StoreOptions(masterKey: key, metric: .angular))
        let opened = BenchClock.milliseconds(since: t), openedCPU = (BenchClock.processCPUSeconds() - cpu) * 1000
        let all = store.stats()
        print("open + recover \(all.templates) templates, wall (CPU)\t\(ms(opened)) (\(ms(openedCPU)))")
        let stats = try store.stats(namespace: "1M")
        print("RSS before open -> after open\t\(rss0) -> \(rss())")
        _ = try store.search(namespace: "1M", vector: BenchVectors.query(1, among: stats.templates), topK: 5)
        print("RSS after one 1M search\t\(rss())")
    }

    static func ms(_ value: Double?) -> String { value.map { String(format: "%.2f ms", $0) } ?? "n/a" }

    static func rss() -> String { ProcessMemory.kibibytes("VmRSS").map { "\($0) kB" } ?? "?" }

    static func table(_ rows: [(String, String)]) -> String {
        let w = rows.map(\.0.count).max() ?? 0
        let line = String(repeating: "-", count: w + 22)
        return ([line] + rows.map { $0.0.padding(toLength: w, withPad: " ", startingAt: 0) + " | " + $0.1 } + [line]).joined(separator: "\n")
    }
}

/// The store benchmarks' deterministic vectors.
public enum BenchVectors {
    /// Deterministic unit vector number `i`.
    public static func vector(_ i: Int) -> [Float] {
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
    public static func query(_ q: Int, among count: Int) -> [Float] {
        let base = vector((q &* 7919) % max(1, count))
        let noise = vector(50_000_000 + q)
        return zip(base, noise).map { $0 + 0.05 * $1 }
    }
}
