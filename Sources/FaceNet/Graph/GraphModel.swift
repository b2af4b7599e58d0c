/// A feed-forward network in the form FaceNet's graph runner executes: what the ONNX and
/// OpenVINO IR readers produce. Value 0 is the input; node `i` produces value `i + 1`, so the
/// node list is already in execution order. Activations are NHWC fp32, batch 1.
struct GraphModel: Sendable {
    var inputChannels: Int
    var nodes: [GraphNode]
    /// Named results (ONNX graph outputs, the IR's Result), each a value id.
    var outputs: [(name: String, value: Int)]

    func value(named name: String) -> Int? { outputs.first { $0.name == name }?.value }
}

struct GraphNode: Sendable {
    var op: GraphOp
    /// Value ids read by `op`.
    var inputs: [Int]
    /// Where the node came from, for error messages.
    var label: String
}

enum GraphActivation: Equatable, Sendable {
    case none
    case relu
    /// max(x, 0) + slope * min(x, 0): PReLU with one slope for all channels.
    case leakyRelu(Float)
    case sigmoid
}

/// A convolution with its constants: weights [out][in / groups][kh][kw], one bias per output.
struct GraphConvolution: Sendable {
    var outChannels: Int
    var inChannels: Int
    var groups: Int
    var kernelHeight: Int
    var kernelWidth: Int
    var strideY: Int
    var strideX: Int
    var padTop: Int
    var padLeft: Int
    var padBottom: Int
    var padRight: Int
    var weights: [Float]
    var bias: [Float]
    var activation: GraphActivation = .none
}

enum GraphOp: Sendable {
    case convolution(GraphConvolution)
    /// Elementwise sum of two values of the same shape.
    case add
    /// inputs[0] (HxWxC) times inputs[1] (1x1xC), per channel: squeeze-excitation's rescale.
    case multiplyChannels
    /// x * scale[c] + shift[c].
    case channelAffine(scale: [Float], shift: [Float])
    case activation(GraphActivation)
    case maxPool(PoolSpec)
    /// Mean over height and width: HxWxC to 1x1xC.
    case globalAveragePool
    /// Nearest-neighbour upsampling by whole factors, source index = floor(destination / factor).
    case resizeNearest(factorY: Int, factorX: Int)
    /// ONNX Transpose(0,2,3,1) + Reshape(1,-1,C): the NHWC rows as they are; no data moves.
    case nhwcRows
}

extension GraphModel {
    /// Shape of every value for an input of `height` x `width`.
    func shapes(height: Int, width: Int) throws(ModelFormatError) -> [TensorShape] {
        var shapes = [TensorShape(height: height, width: width, channels: inputChannels)]
        for node in nodes {
            let a = shapes[node.inputs[0]]
            let shape: TensorShape
            switch node.op {
            case let .convolution(c):
                guard a.channels == c.inChannels else { throw .shapeMismatch(node: node.label, detail: "input \(a), convolution wants \(c.inChannels) channels") }
                let h = (a.height + c.padTop + c.padBottom - c.kernelHeight) / c.strideY + 1
                let w = (a.width + c.padLeft + c.padRight - c.kernelWidth) / c.strideX + 1
                guard h > 0, w > 0 else { throw .shapeMismatch(node: node.label, detail: "input \(a) smaller than the kernel") }
                shape = TensorShape(height: h, width: w, channels: c.outChannels)
            case .add:
                guard shapes[node.inputs[1]] == a else { throw .shapeMismatch(node: node.label, detail: "adds \(a) and \(shapes[node.inputs[1]])") }
                shape = a
            case .multiplyChannels:
                let s = shapes[node.inputs[1]]
                guard s.height == 1, s.width == 1, s.channels == a.channels else {
                    throw .shapeMismatch(node: node.label, detail: "scales \(a) by \(s)")
                }
                shape = a
            case let .channelAffine(scale, _):
                guard scale.count == a.channels else { throw .shapeMismatch(node: node.label, detail: "\(scale.count) scales for \(a)") }
                shape = a
            case .activation, .nhwcRows:
                shape = a
            case let .maxPool(spec):
                do { shape = try spec.output(for: a) } catch { throw .shapeMismatch(node: node.label, detail: "\(error)") }
            case .globalAveragePool:
                shape = TensorShape(height: 1, width: 1, channels: a.channels)
            case let .resizeNearest(fy, fx):
                shape = TensorShape(height: a.height * fy, width: a.width * fx, channels: a.channels)
            }
            shapes.append(shape)
        }
        return shapes
    }
}
