/// Builds the face ResNet's primitives for a 150x150 input and plans its buffers: each step
/// gets an index, each buffer lives from the step that writes it to the last that reads it,
/// scratchpads live for their own step only, and residual adds accumulate in place into the
/// shortcut's buffer.
struct ResNetPlan {
    enum Op {
        case conv(Conv2D, Int, Int, Int)
        /// Gathers patches (source, patches buffer) for the 1x1 convolution that follows.
        case im2col(Im2Col, Int, Int)
        case pool(Pool2D, Int, Int, Int)
        case shortcut(Int, TensorShape, Int, TensorShape)
        case addReLU(Int, TensorShape, Int, TensorShape)
    }

    private(set) var planner = ArenaPlanner()
    private(set) var ops: [Op] = []
    let input: Int
    private(set) var output = 0
    private(set) var outputShape: TensorShape
    private(set) var pooled = 0

    init(model: EmbedderModel, engine: NetEngine) throws {
        let size = model.inputSize
        let inShape = TensorShape(height: size, width: size, channels: 3)
        // Step 0 is the input normalisation; the head runs after the last op.
        input = planner.add(bytes: inShape.byteCount, firstUse: 0, lastUse: 1)
        outputShape = inShape
        var x = input
        x = try addConv(engine.convolution(model.stem, input: inShape, epilogue: .relu), from: x)
        let pool = try engine.pooling(PoolSpec(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2), input: outputShape)
        x = addPool(pool, from: x)
        for block in model.blocks {
            let blockInput = x, inputShape = outputShape
            let middle = try addLayer(block.first, engine: engine, from: blockInput, input: inputShape, epilogue: .relu)
            let middleShape = outputShape
            var target = blockInput
            var targetShape = inputShape
            if block.downsample {
                let secondShape = try block.second.spec.output(for: middleShape)
                targetShape = try EmbedderModel.blockOutput(input: inputShape, second: secondShape, downsample: true)
                target = planner.add(bytes: targetShape.byteCount, firstUse: step, lastUse: step)
                planner.use(blockInput, at: step)
                ops.append(.shortcut(blockInput, inputShape, target, targetShape))
                if secondShape != targetShape {
                    let partial = try addLayer(block.second, engine: engine, from: middle, input: middleShape, epilogue: .none)
                    planner.use(target, at: step)
                    planner.use(partial, at: step)
                    ops.append(.addReLU(partial, secondShape, target, targetShape))
                    (x, outputShape) = (target, targetShape)
                    continue
                }
            }
            try addLayer(block.second, engine: engine, from: middle, input: middleShape, epilogue: .accumulateRelu, into: target)
            (x, outputShape) = (target, targetShape)
        }
        output = x
        planner.use(output, at: step)
        pooled = planner.add(bytes: outputShape.channels * MemoryLayout<Float>.stride, firstUse: step, lastUse: step)
    }

    /// Index of the next op (op i runs at step i + 1, after the normalisation at step 0).
    private var step: Int { ops.count + 1 }

    /// Adds a 3x3 layer (direct, or im2col then its 1x1 convolution) writing a new buffer; returns it.
    private mutating func addLayer(_ weights: EmbedderModel.LayerWeights, engine: NetEngine, from src: Int,
                                   input: TensorShape, epilogue: ConvEpilogue) throws -> Int {
        let output = try weights.spec.output(for: input)
        let dst = planner.add(bytes: output.byteCount, firstUse: step, lastUse: step)
        try addLayer(weights, engine: engine, from: src, input: input, epilogue: epilogue, into: dst)
        return dst
    }

    /// Adds a 3x3 layer writing (or, for the accumulate epilogues, adding into) `dst`.
    private mutating func addLayer(_ weights: EmbedderModel.LayerWeights, engine: NetEngine, from src: Int,
                                   input: TensorShape, epilogue: ConvEpilogue, into dst: Int) throws {
        switch weights {
        case .direct(let w):
            addConv(try engine.convolution(w, input: input, epilogue: epilogue), from: src, into: dst)
        case .im2col(let w):
            let gather = try Im2Col(spec: w.spec, input: input)
            let patches = planner.add(bytes: gather.patches.byteCount, firstUse: step, lastUse: step + 1)
            planner.use(src, at: step)
            planner.use(dst, at: step)  // dst (an accumulate target) must outlive the gather
            ops.append(.im2col(gather, src, patches))
            addConv(try engine.convolution(w.gemm, input: gather.patches, epilogue: epilogue), from: patches, into: dst)
        }
    }

    /// Adds a convolution writing a new buffer; returns that buffer.
    private mutating func addConv(_ conv: Conv2D, from src: Int) throws -> Int {
        let dst = planner.add(bytes: conv.output.byteCount, firstUse: step, lastUse: step)
        addConv(conv, from: src, into: dst)
        return dst
    }

    private mutating func addConv(_ conv: Conv2D, from src: Int, into dst: Int) {
        let scratch = planner.add(bytes: conv.scratchpadBytes, firstUse: step, lastUse: step)
        planner.use(src, at: step)
        planner.use(dst, at: step)
        ops.append(.conv(conv, src, dst, scratch))
        outputShape = conv.output
    }

    private mutating func addPool(_ pool: Pool2D, from src: Int) -> Int {
        let dst = planner.add(bytes: pool.output.byteCount, firstUse: step, lastUse: step)
        let scratch = planner.add(bytes: pool.scratchpadBytes, firstUse: step, lastUse: step)
        planner.use(src, at: step)
        ops.append(.pool(pool, src, dst, scratch))
        outputShape = pool.output
        return dst
    }
}
