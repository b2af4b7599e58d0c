/// A `GraphModel` prepared for one input size on one `NetEngine`: every primitive created and
/// every activation placed by one arena plan, so `run()` allocates nothing. The memory may be
/// shared with other runners that are never run at the same time (`SharedArena`).
/// Creating costs a few milliseconds (oneDNN primitive creation): keep one per size in use.
/// Use from one thread at a time, like the engine.
final class GraphRunner {
    let model: GraphModel
    /// Shape of every value (value 0 is the input).
    let shapes: [TensorShape]
    private let steps: [Step]
    private let plan: ArenaPlan
    private let memory: SharedArena
    private let buffer: [Int]            // value id -> arena buffer id
    private let scratchpad: [Int?]       // node index -> arena buffer id

    private enum Step {
        case convolution(GroupedConvolution)
        case pool(Pool2D)
        case kernel
    }

    init(model: GraphModel, engine: NetEngine, height: Int, width: Int, memory: SharedArena? = nil) throws {
        self.model = model
        shapes = try model.shapes(height: height, width: width)
        let nodes = model.nodes
        var steps: [Step] = []
        for (index, node) in nodes.enumerated() {
            let a = shapes[node.inputs[0]]
            switch node.op {
            case let .convolution(c):
                steps.append(.convolution(try GroupedConvolution(engine: engine, convolution: c, input: a, output: shapes[index + 1])))
            case let .maxPool(spec):
                steps.append(.pool(try engine.pooling(spec, input: a)))
            default:
                steps.append(.kernel)
            }
        }
        // nhwcRows values share their input's memory: plan one buffer per root value.
        var root = Array(0...nodes.count)
        for (index, node) in nodes.enumerated() {
            if case .nhwcRows = node.op { root[index + 1] = root[node.inputs[0]] }
        }
        var first = [Int](repeating: Int.max, count: nodes.count + 1)
        var last = [Int](repeating: -1, count: nodes.count + 1)
        func use(_ value: Int, _ step: Int) {
            first[root[value]] = min(first[root[value]], step)
            last[root[value]] = max(last[root[value]], step)
        }
        use(0, 0)
        for (index, node) in nodes.enumerated() {
            use(index + 1, index)
            for input in node.inputs { use(input, index) }
        }
        for output in model.outputs { use(output.value, nodes.count) }

        var planner = ArenaPlanner()
        var rootBuffer = [Int: Int]()
        for value in 0...nodes.count where root[value] == value {
            rootBuffer[value] = planner.add(bytes: shapes[value].byteCount, firstUse: first[value], lastUse: last[value])
        }
        buffer = (0...nodes.count).map { rootBuffer[root[$0]]! }
        scratchpad = steps.enumerated().map { index, step in
            let bytes: Int
            switch step {
            case let .convolution(c): bytes = c.scratchpadBytes
            case let .pool(p): bytes = p.scratchpadBytes
            case .kernel: bytes = 0
            }
            return bytes > 0 ? planner.add(bytes: bytes, firstUse: index, lastUse: index) : nil
        }
        plan = planner.plan()
        self.memory = try memory ?? SharedArena()
        try self.memory.reserve(plan.bytes)
        self.steps = steps
    }

    /// Where the caller writes the input (NHWC, `shapes[0]`).
    var input: UnsafeMutablePointer<Float> { floats(buffer[0]) }
    /// Every activation and scratch byte of one run.
    var arenaBytes: Int { plan.bytes }

    func output(_ value: Int) -> UnsafePointer<Float> { UnsafePointer(floats(buffer[value])) }

    @inline(__always)
    private func bytes(_ id: Int) -> UnsafeMutableRawPointer { memory.base + plan.offsets[id] }

    @inline(__always)
    private func floats(_ id: Int) -> UnsafeMutablePointer<Float> { bytes(id).assumingMemoryBound(to: Float.self) }

    func run() throws {
        for (index, node) in model.nodes.enumerated() {
            let x = floats(buffer[node.inputs[0]])
            let out = floats(buffer[index + 1])
            let scratch = scratchpad[index].map { bytes($0) }
            let shape = shapes[node.inputs[0]]
            switch steps[index] {
            case let .convolution(c):
                try c.execute(input: x, output: out, scratchpad: scratch)
            case let .pool(p):
                try p.execute(input: x, output: out, scratchpad: scratch)
            case .kernel:
                switch node.op {
                case .add:
                    GraphKernels.add(x, floats(buffer[node.inputs[1]]), into: out, count: shape.elementCount)
                case .multiplyChannels:
                    GraphKernels.multiplyChannels(x, by: floats(buffer[node.inputs[1]]), into: out,
                                                  pixels: shape.height * shape.width, channels: shape.channels)
                case let .channelAffine(scale, shift):
                    GraphKernels.channelAffine(x, scale: scale, shift: shift, into: out, pixels: shape.height * shape.width)
                case let .activation(kind):
                    GraphKernels.activation(kind, x, into: out, count: shape.elementCount)
                case .globalAveragePool:
                    GraphKernels.globalAveragePool(x, into: out, pixels: shape.height * shape.width, channels: shape.channels)
                case let .resizeNearest(fy, fx):
                    GraphKernels.resizeNearest(x, shape, factorY: fy, factorX: fx, into: out)
                case .nhwcRows, .convolution, .maxPool:
                    break
                }
            }
        }
    }
}
