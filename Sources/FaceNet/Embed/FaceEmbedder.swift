/// Computes 128-d face descriptors with dlib's ResNet. One instance per thread: it owns its
/// oneDNN primitives and one arena holding every activation and scratch buffer, planned once at
/// creation. No tensor memory is allocated per call: our code allocates nothing on the hot path;
/// oneDNN's C API itself makes about eight small (< 128-byte) bookkeeping allocations per primitive
/// executed (its argument map and scratchpad grantor), measured by FaceEmbedderAllocationTests.
public final class FaceEmbedder {
    let model: EmbedderModel
    let engine: NetEngine
    /// Bytes of the arena (all activations and scratchpads).
    public var arenaBytes: Int { arena.bytes }

    private enum Step {
        case conv(Conv2D, UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer)
        case im2col(Im2Col, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
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
            case let .im2col(g, s, d): return .im2col(g, arena.floats(s), arena.floats(d))
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

    /// Writes the descriptor into `output` (at least 128 floats). Allocates nothing itself.
    public func embed(chip: RGBImage, into output: UnsafeMutableBufferPointer<Float>) throws {
        let size = model.inputSize
        guard chip.width == size, chip.height == size else {
            throw FaceEmbedderError.wrongChipSize(width: chip.width, height: chip.height, expected: size)
        }
        guard let out = output.baseAddress, output.count >= model.descriptorSize else {
            throw FaceEmbedderError.outputTooSmall(capacity: output.count, needed: model.descriptorSize)
        }
        prepare(chip: chip)
        try run()
        finish(into: out)
    }

    /// Step 0: the chip, normalised, into the input buffer.
    func prepare(chip: RGBImage) {
        chip.pixels.withUnsafeBufferPointer { pixels in
            ResNetKernels.normalize(pixels.baseAddress!, count: model.inputSize * model.inputSize,
                                    means: (model.meanRed, model.meanGreen, model.meanBlue), into: input)
        }
    }

    /// The head: global average and fc into `out`.
    func finish(into out: UnsafeMutablePointer<Float>) {
        model.fcWeights.withUnsafeBufferPointer { w in
            ResNetKernels.head(last, lastShape, weights: w.baseAddress!, outputs: model.descriptorSize, pooled: pooled, into: out)
        }
    }

    private func run() throws {
        for i in steps.indices { try execute(steps[i]) }
        try engine.wait()
    }

    /// Runs the network once on `chip`, adding each step's time by `clock` (nanoseconds) to
    /// `nanoseconds` (one slot per step, `stepCount` of them). For the layer benchmark.
    @_spi(Benchmarks)
    public func profile(chip: RGBImage, nanoseconds: UnsafeMutablePointer<UInt64>, clock: () -> UInt64) throws {
        prepare(chip: chip)
        for (i, step) in steps.enumerated() {
            let start = clock()
            try execute(step)
            try engine.wait()
            nanoseconds[i] += clock() - start
        }
    }

    @_spi(Benchmarks)
    public var stepCount: Int { steps.count }

    /// Runs step `i` alone (tests account each step's allocations).
    func executeStep(_ i: Int) throws { try execute(steps[i]) }

    /// Whether step `i` runs a oneDNN primitive (rather than one of our loops).
    func stepUsesDNNL(_ i: Int) -> Bool {
        switch steps[i] {
        case .conv, .pool: return true
        case .shortcut, .addReLU, .im2col: return false
        }
    }

    /// A short name and the multiply-accumulates of step `i`, for reports.
    @_spi(Benchmarks)
    public func stepInfo(_ i: Int) -> (name: String, macs: Int) {
        switch steps[i] {
        case let .conv(c, _, _, _):
            return ("conv \(c.spec.kernelHeight)x\(c.spec.kernelWidth)/\(c.spec.strideY) \(c.spec.inChannels)->\(c.spec.outChannels) on \(c.input.height)x\(c.input.width)", c.macs)
        case .pool: return ("max pool", 0)
        case let .im2col(g, _, _): return ("im2col \(g.spec.kernelHeight)x\(g.spec.kernelWidth)/\(g.spec.strideY) on \(g.input.height)x\(g.input.width)x\(g.input.channels)", 0)
        case .shortcut: return ("shortcut avg pool", 0)
        case .addReLU: return ("add+relu", 0)
        }
    }

    @inline(__always)
    private func execute(_ step: Step) throws {
            switch step {
            case let .conv(c, s, d, t): try c.execute(input: s, output: d, scratchpad: t)
            case let .im2col(g, s, d): g.run(s, into: d)
            case let .pool(p, s, d, t): try p.execute(input: s, output: d, scratchpad: t)
            case let .shortcut(s, ss, d, ds): ResNetKernels.averageDownIntoPadded(s, ss, d, ds)
            case let .addReLU(s, ss, d, ds): ResNetKernels.addReLU(s, ss, into: d, ds)
            }
    }
}
