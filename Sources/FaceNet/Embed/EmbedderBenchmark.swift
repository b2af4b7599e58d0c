/// Times the face descriptor network for `facematch bench`: medians over repeated runs of one
/// chip after warm-up, and a per-layer breakdown with GFLOPS (2 flops per multiply-accumulate).
public enum EmbedderBenchmark {
    public struct Layer: Sendable {
        public let name: String
        /// Median time of this step per inference.
        public let milliseconds: Double
        public let gflops: Double
    }

    public struct Result: Sendable {
        public let threads: Int
        public let iterations: Int
        public let medianMilliseconds: Double
        public let minimumMilliseconds: Double
        /// Multiply-accumulates of one inference (convolutions).
        public let macs: Int
        public let arenaBytes: Int
        /// Steps grouped by name (same-shaped layers together), in network order.
        public let layers: [Layer]
        /// Whole-network convolution throughput at the median time.
        public var gflops: Double { Double(2 * macs) / (medianMilliseconds * 1e6) }
    }

    public static func run(model: EmbedderModel, chip: RGBImage, threads: Int = 1, iterations: Int = 50,
                           warmup: Int = 5) throws -> Result {
        let embedder = try FaceEmbedder(model: model, threads: threads)
        let output = UnsafeMutableBufferPointer<Float>.allocate(capacity: model.descriptorSize)
        defer { output.deallocate() }
        for _ in 0..<warmup { try embedder.embed(chip: chip, into: output) }
        let runs = max(1, iterations)
        var totals: [Double] = []
        for _ in 0..<runs {
            let start = MonotonicClock.nanoseconds()
            try embedder.embed(chip: chip, into: output)
            totals.append(Double(MonotonicClock.nanoseconds() - start) / 1e6)
        }
        let n = embedder.stepCount
        var perStep = [[Double]](repeating: [], count: n)
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        defer { slots.deallocate() }
        for _ in 0..<runs {
            slots.initialize(repeating: 0, count: n)
            try embedder.profile(chip: chip, nanoseconds: slots)
            for i in 0..<n { perStep[i].append(Double(slots[i]) / 1e6) }
        }
        var names: [String] = []
        var grouped: [String: (ms: Double, macs: Int)] = [:]
        var macs = 0
        for i in 0..<n {
            let info = embedder.stepInfo(i)
            macs += info.macs
            if grouped[info.name] == nil { names.append(info.name) }
            let previous = grouped[info.name] ?? (0, 0)
            grouped[info.name] = (previous.ms + median(perStep[i]), previous.macs + info.macs)
        }
        let layers = names.map { name -> Layer in
            let g = grouped[name, default: (0, 0)]
            return Layer(name: name, milliseconds: g.ms, gflops: g.macs > 0 ? Double(2 * g.macs) / (g.ms * 1e6) : 0)
        }
        return Result(threads: threads, iterations: runs, medianMilliseconds: median(totals),
                      minimumMilliseconds: totals.min() ?? 0, macs: macs, arenaBytes: embedder.arenaBytes, layers: layers)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
