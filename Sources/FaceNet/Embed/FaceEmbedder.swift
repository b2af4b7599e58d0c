/// Computes 128-d face descriptors with dlib's ResNet. One instance per thread: it owns its
/// oneDNN primitives and one arena holding every activation and scratch buffer, planned once at
/// creation. `embed` allocates nothing besides the returned array; `embed(chip:into:)` nothing.
public final class FaceEmbedder {
    public let model: EmbedderModel
    public let engine: NetEngine
    /// Bytes of the arena (all activations and scratchpads).
    public var arenaBytes: Int { arena.bytes }
    /// What the same buffers would take without reuse.
    public var unplannedBytes: Int { arena.plan.naiveBytes }

    private enum Step {
        case conv(Conv2D, UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer)
        case pool(Pool2D, UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer)
        case shortcut(UnsafeMutablePointer<Float>, TensorShape, UnsafeMutablePointer<Float>, TensorShape)
        case addReLU(UnsafeMutablePointer<Float>, TensorShape, UnsafeMutablePointer<Float>, TensorShape)
    }

    private let arena: TensorArena
    private let steps: [Step]
    private let input: UnsafeMutablePointer<Float>
    private let last: UnsafeMutablePointer<Float>
    private let lastShape: TensorShape
    private let pooled: UnsafeMutablePointer<Float>
    /// The convolutions in order, for per-layer reports.
    let convolutions: [Conv2D]

    public init(model: EmbedderModel, threads: Int = 1) throws {
        self.model = model
        engine = try NetEngine(threads: threads)
        let plan = try ResNetPlan(model: model, engine: engine)
        arena = try TensorArena(plan: plan.planner.plan())
        let arena = arena
        steps = plan.ops.map { op in
            switch op {
            case let .conv(c, s, d, t): return .conv(c, arena[s], arena[d], arena[t])
            case let .pool(p, s, d, t): return .pool(p, arena[s], arena[d], arena[t])
            case let .shortcut(s, ss, d, ds): return .shortcut(arena.floats(s), ss, arena.floats(d), ds)
            case let .addReLU(s, ss, d, ds): return .addReLU(arena.floats(s), ss, arena.floats(d), ds)
            }
        }
        input = arena.floats(plan.input)
        last = arena.floats(plan.output)
        lastShape = plan.outputShape
        pooled = arena.floats(plan.pooled)
        convolutions = plan.ops.compactMap { if case let .conv(c, _, _, _) = $0 { return c } else { return nil } }
    }

    /// The descriptor of a 150x150 face chip (as `extract_image_chip` cuts it).
    public func embed(chip: RGBImage) throws -> [Float] {
        let n = model.descriptorSize
        return try [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            try embed(chip: chip, into: buffer)
            initialized = n
        }
    }

    /// Writes the descriptor into `output` (at least 128 floats). Allocates nothing.
    public func embed(chip: RGBImage, into output: UnsafeMutableBufferPointer<Float>) throws {
        let size = model.inputSize
        guard chip.width == size, chip.height == size else {
            throw FaceEmbedderError.wrongChipSize(width: chip.width, height: chip.height, expected: size)
        }
        guard let out = output.baseAddress, output.count >= model.descriptorSize else {
            throw FaceEmbedderError.outputTooSmall(capacity: output.count, needed: model.descriptorSize)
        }
        chip.pixels.withUnsafeBufferPointer { pixels in
            ResNetKernels.normalize(pixels.baseAddress!, count: size * size,
                                    means: (model.meanRed, model.meanGreen, model.meanBlue), into: input)
        }
        try run()
        model.fcWeights.withUnsafeBufferPointer { w in
            ResNetKernels.head(last, lastShape, weights: w.baseAddress!, outputs: model.descriptorSize, pooled: pooled, into: out)
        }
    }

    private func run() throws {
        for step in steps {
            switch step {
            case let .conv(c, s, d, t): try c.execute(input: s, output: d, scratchpad: t)
            case let .pool(p, s, d, t): try p.execute(input: s, output: d, scratchpad: t)
            case let .shortcut(s, ss, d, ds): ResNetKernels.averageDownIntoPadded(s, ss, d, ds)
            case let .addReLU(s, ss, d, ds): ResNetKernels.addReLU(s, ss, into: d, ds)
            }
        }
        try engine.wait()
    }
}
