@_spi(Benchmarks) import FaceNet

/// The face descriptor network step by step (`facematch bench --layers`): medians over repeated
/// runs of one chip after warm-up, with GFLOPS per group of same-shaped layers (2 flops per
/// multiply-accumulate), to see which convolutions are far from the CPU's peak.
public enum EmbedderLayerBenchmark {
    public struct Layer: Sendable {
        public let name: String
        /// Median time of this group per inference.
        public let milliseconds: Double
        public let gflops: Double
    }

    public struct Result: Sendable {
        public let threads: Int
        public let iterations: Int
        public let median: Double
        public let minimum: Double
        /// Multiply-accumulates of one inference (convolutions).
        public let macs: Int
        public let arenaBytes: Int
        /// Steps grouped by name (same-shaped layers together), in network order.
        public let layers: [Layer]
        /// Whole-network convolution throughput at the median time.
        public var gflops: Double { Double(2 * macs) / (median * 1e6) }

        /// A Markdown table, one row per layer group.
        public func rendered() -> String {
            var lines = [
                String(format: "embed, %d thread(s): median %.2f ms (min %.2f) over %d runs, %.2f GMAC, %.1f GFLOPS, arena %.1f MiB",
                       threads, median, minimum, iterations, Double(macs) / 1e9, gflops, Double(arenaBytes) / 1_048_576),
                "", "| step | ms | GFLOPS |", "| --- | ---: | ---: |",
            ]
            for layer in layers {
                lines.append(String(format: "| %@ | %.3f | %@ |", layer.name, layer.milliseconds,
                                    layer.gflops > 0 ? String(format: "%.1f", layer.gflops) : ""))
            }
            return lines.joined(separator: "\n")
        }
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
            let start = BenchClock.nanoseconds()
            try embedder.embed(chip: chip, into: output)
            totals.append(BenchClock.milliseconds(since: start))
        }
        let n = embedder.stepCount
        var perStep = [[Double]](repeating: [], count: n)
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        defer { slots.deallocate() }
        for _ in 0..<runs {
            slots.initialize(repeating: 0, count: n)
            try embedder.profile(chip: chip, nanoseconds: slots, clock: BenchClock.nanoseconds)
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
            grouped[info.name] = (previous.ms + Samples(perStep[i]).median, previous.macs + info.macs)
        }
        let layers = names.map { name -> Layer in
            let g = grouped[name, default: (0, 0)]
            return Layer(name: name, milliseconds: g.ms, gflops: g.macs > 0 ? Double(2 * g.macs) / (g.ms * 1e6) : 0)
        }
        let samples = Samples(totals)
        return Result(threads: threads, iterations: runs, median: samples.median, minimum: samples.min ?? 0,
                      macs: macs, arenaBytes: embedder.arenaBytes, layers: layers)
    }
}
