/// Reads an ONNX model (protobuf, `ModelProto`) into a `GraphModel`.
///
/// Accepted: one NCHW float input; opset domain "" (ai.onnx); constants as float32 or int64
/// initializers stored in the file; the operations Conv (any groups, no dilation), Relu, Sigmoid,
/// MaxPool, Add, Resize (nearest, asymmetric, floor, whole factors) and Transpose(0,2,3,1) +
/// Reshape(1,-1,C), which on NHWC activations moves no data. Anything else is refused with
/// `ModelFormatError.unsupportedOperation` or `.unsupportedAttribute`, never guessed at.
enum ONNXModelReader {
    static func read(bytes: [UInt8]) throws(ModelFormatError) -> GraphModel {
        let message = try ONNXMessage(bytes: bytes)
        for opset in message.opsets where !(opset.domain.isEmpty || opset.domain == "ai.onnx") {
            throw .unsupportedOperation(node: "opset_import", operation: "domain \(opset.domain)")
        }
        let inputs = message.inputs.filter { message.initializers[$0.name] == nil }
        guard inputs.count == 1, let input = inputs.first, input.dims.count == 4, input.dims[1] > 0 else {
            throw .unreadable(format: "ONNX", reason: "expected one NCHW input, found \(inputs.map { "\($0.name) \($0.dims)" })")
        }
        var converter = ONNXGraphConverter(message: message, input: input.name, channels: Int(input.dims[1]))
        for node in message.nodes { try converter.convert(node) }
        var outputs: [(name: String, value: Int)] = []
        for name in message.outputs {
            guard let value = converter.values[name] else { throw .missingValue(node: "graph output", value: name) }
            outputs.append((name, value))
        }
        return converter.builder.finish(outputs: outputs)
    }
}

/// Turns ONNX nodes, in file order (ONNX requires topological order), into graph nodes.
struct ONNXGraphConverter {
    let message: ONNXMessage
    var builder: GraphBuilder
    /// ONNX value name -> graph value id.
    var values: [String: Int]
    /// Channels of each graph value.
    private var channels: [Int]
    /// Values that are a Transpose(0,2,3,1) result, so a Reshape(1,-1,C) of them is free.
    private var rows: Set<Int> = []

    init(message: ONNXMessage, input: String, channels: Int) {
        self.message = message
        builder = GraphBuilder(inputChannels: channels)
        values = [input: 0]
        self.channels = [channels]
    }

    mutating func convert(_ node: ONNXMessage.Node) throws(ModelFormatError) {
        let label = node.name.isEmpty ? (node.outputs.first ?? node.operation) : node.name
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw .unsupportedOperation(node: label, operation: "\(node.domain).\(node.operation)")
        }
        guard let outputName = node.outputs.first else { throw .unreadable(format: "ONNX", reason: "node \(label) has no output") }
        let attributes = ONNXAttributes(node: node, label: label)
        switch node.operation {
        case "Conv":
            let x = try value(node, 0, label)
            let w = try constant(node, 1, label)
            let bias = node.inputs.count > 2 ? try constant(node, 2, label) : nil
            let conv = try ONNXConvolution.make(weights: w, bias: bias, attributes: attributes, inChannels: channels[x], label: label)
            try emit(.convolution(conv), [x], label, outputName, channels: conv.outChannels)
        case "Relu":
            let x = try value(node, 0, label)
            try emit(.activation(.relu), [x], label, outputName, channels: channels[x])
        case "Sigmoid":
            let x = try value(node, 0, label)
            try emit(.activation(.sigmoid), [x], label, outputName, channels: channels[x])
        case "MaxPool":
            let x = try value(node, 0, label)
            try emit(.maxPool(try attributes.maxPool()), [x], label, outputName, channels: channels[x])
        case "Add":
            let a = try value(node, 0, label), b = try value(node, 1, label)
            try emit(.add, [a, b], label, outputName, channels: channels[a])
        case "Resize":
            let x = try value(node, 0, label)
            let scales = node.inputs.count > 2 ? try constant(node, 2, label).floats ?? [] : []
            let factors = try attributes.nearestResize(scales: scales, hasSizes: node.inputs.count > 3 && !node.inputs[3].isEmpty)
            try emit(.resizeNearest(factorY: factors.y, factorX: factors.x), [x], label, outputName, channels: channels[x])
        case "Transpose":
            let x = try value(node, 0, label)
            guard attributes.ints("perm") == [0, 2, 3, 1] else {
                throw .unsupportedAttribute(node: label, detail: "perm \(attributes.ints("perm")); only (0,2,3,1) is supported")
            }
            try emit(.nhwcRows, [x], label, outputName, channels: channels[x])
            rows.insert(values[outputName]!)
        case "Reshape":
            let x = try value(node, 0, label)
            let shape = try constant(node, 1, label).ints ?? []
            guard rows.contains(x), shape == [1, -1, Int64(channels[x])] else {
                throw .unsupportedAttribute(node: label, detail: "Reshape to \(shape) of a value that is not NHWC rows of \(channels[x]) channels")
            }
            values[outputName] = x
        default:
            throw .unsupportedOperation(node: label, operation: node.operation)
        }
    }

    private mutating func emit(_ op: GraphOp, _ inputs: [Int], _ label: String, _ output: String, channels count: Int) throws(ModelFormatError) {
        values[output] = builder.append(op, inputs: inputs, label: label)
        channels.append(count)
    }

    private func value(_ node: ONNXMessage.Node, _ index: Int, _ label: String) throws(ModelFormatError) -> Int {
        guard index < node.inputs.count else { throw .missingValue(node: label, value: "input \(index)") }
        guard let id = values[node.inputs[index]] else { throw .missingValue(node: label, value: node.inputs[index]) }
        return id
    }

    private func constant(_ node: ONNXMessage.Node, _ index: Int, _ label: String) throws(ModelFormatError) -> ONNXMessage.Tensor {
        guard index < node.inputs.count else { throw .missingValue(node: label, value: "input \(index)") }
        guard let tensor = message.initializers[node.inputs[index]] else {
            throw .unsupportedAttribute(node: label, detail: "input \(node.inputs[index]) must be a constant in the file")
        }
        return tensor
    }
}
