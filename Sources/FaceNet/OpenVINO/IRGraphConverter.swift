import Foundation

/// Turns IR layers, in dependency order, into graph nodes; constants are folded on the way.
struct IRGraphConverter {
    private enum Value {
        case activation(Int)
        case constant(dims: [Int], values: [Float])
    }

    private let weights: [UInt8]
    private var builder: GraphBuilder?
    private var values: [Int: [Int: Value]] = [:]    // layer -> output port -> value
    private var outputs: [(name: String, value: Int)] = []

    init(weights: [UInt8]) { self.weights = weights }

    mutating func finish() throws(ModelFormatError) -> GraphModel {
        guard let builder else { throw .unreadable(format: "OpenVINO IR", reason: "no Parameter layer") }
        guard !outputs.isEmpty else { throw .unreadable(format: "OpenVINO IR", reason: "no Result layer") }
        return builder.finish(outputs: outputs)
    }

    mutating func convert(_ layer: IRLayer, inputs: [(layer: Int, port: Int)]) throws(ModelFormatError) {
        let label = layer.label
        let operands = try inputs.map { source throws(ModelFormatError) -> Value in
            guard let v = values[source.layer]?[source.port] else { throw .missingValue(node: label, value: "layer \(source.layer) port \(source.port)") }
            return v
        }
        let result: Value
        switch (layer.type, operands) {
        case ("Parameter", _):
            guard builder == nil, let dims = layer.outputPorts.first?.dims, dims.count == 4, dims[0] == 1, dims[1] > 0,
                  (layer.data["element_type"] ?? "f32") == "f32" else {
                throw .unsupportedAttribute(node: label, detail: "one f32 NCHW input of batch 1 is supported")
            }
            builder = GraphBuilder(inputChannels: dims[1])
            result = .activation(0)
        case ("Const", _):
            result = try constant(layer)
        case ("Convert", let operands) where operands.count == 1:
            guard case .constant = operands[0], ["f32", "f16"].contains(layer.data["destination_type"] ?? "") else {
                throw .unsupportedAttribute(node: label, detail: "Convert is supported on constants to f32 only")
            }
            result = operands[0]
        case ("Convolution", let operands), ("GroupConvolution", let operands):
            guard operands.count == 2, case let .activation(x) = operands[0], case let .constant(dims, w) = operands[1] else {
                throw .unsupportedAttribute(node: label, detail: "expects an activation and constant weights")
            }
            let conv = try IRConvolution.make(layer, weightDims: dims, weights: w, grouped: layer.type == "GroupConvolution")
            result = .activation(try append(.convolution(conv), [x], label))
        case ("Add", let operands), ("Multiply", let operands):
            result = try arithmetic(layer, operands)
        case ("PReLU", let operands):
            guard operands.count == 2, case let .activation(x) = operands[0], case let .constant(_, slope) = operands[1] else {
                throw .unsupportedAttribute(node: label, detail: "expects an activation and a constant slope")
            }
            guard slope.count == 1 else { throw .unsupportedAttribute(node: label, detail: "\(slope.count) slopes; one shared slope is supported") }
            result = .activation(try append(.activation(.leakyRelu(slope[0])), [x], label))
        case ("ReLU", let operands), ("Sigmoid", let operands):
            guard operands.count == 1, case let .activation(x) = operands[0] else { throw .unsupportedAttribute(node: label, detail: "expects one activation") }
            result = .activation(try append(.activation(layer.type == "ReLU" ? .relu : .sigmoid), [x], label))
        case ("AvgPool", let operands):
            guard operands.count == 1, case let .activation(x) = operands[0] else { throw .unsupportedAttribute(node: label, detail: "expects one activation") }
            let inDims = layer.inputPorts.first?.dims ?? []
            guard inDims.count == 4, layer.ints("kernel") == [inDims[2], inDims[3]],
                  (layer.ints("pads_begin") ?? [0, 0]) == [0, 0], (layer.ints("pads_end") ?? [0, 0]) == [0, 0] else {
                throw .unsupportedAttribute(node: label, detail: "only a global average pool (kernel = input size, no padding)")
            }
            result = .activation(try append(.globalAveragePool, [x], label))
        case ("Result", let operands):
            guard operands.count == 1, case let .activation(x) = operands[0] else { throw .unsupportedAttribute(node: label, detail: "a Result of a constant") }
            outputs.append((layer.name, x))
            return
        default:
            throw .unsupportedOperation(node: label, operation: layer.type)
        }
        values[layer.id] = [layer.outputPorts.first?.id ?? 0: result]
    }

    private mutating func append(_ op: GraphOp, _ inputs: [Int], _ label: String) throws(ModelFormatError) -> Int {
        guard builder != nil else { throw .missingValue(node: label, value: "the network input (no Parameter before it)") }
        return builder!.append(op, inputs: inputs, label: label)
    }

    /// Add / Multiply of two activations, or of an activation and a per-channel or scalar constant.
    private mutating func arithmetic(_ layer: IRLayer, _ operands: [Value]) throws(ModelFormatError) -> Value {
        let label = layer.label
        let isAdd = layer.type == "Add"
        guard operands.count == 2, (layer.data["auto_broadcast"] ?? "numpy") == "numpy" else {
            throw .unsupportedAttribute(node: label, detail: "two operands with numpy broadcasting")
        }
        let dims = layer.inputPorts.map(\.dims)
        switch (operands[0], operands[1]) {
        case let (.activation(a), .activation(b)):
            if isAdd {
                guard dims.count == 2, dims[0] == dims[1] else { throw .shapeMismatch(node: label, detail: "adds \(dims)") }
                return .activation(try append(.add, [a, b], label))
            }
            guard dims.count == 2, dims[0].count == 4, dims[1].count == 4 else { throw .shapeMismatch(node: label, detail: "multiplies \(dims)") }
            let scaleIsSecond = dims[1][2] == 1 && dims[1][3] == 1
            return .activation(try append(.multiplyChannels, scaleIsSecond ? [a, b] : [b, a], label))
        case let (.activation(x), .constant(_, c)), let (.constant(_, c), .activation(x)):
            let channels = (dims.first { $0.count == 4 } ?? [])[safe: 1] ?? 0
            guard channels > 0, c.count == channels || c.count == 1 else {
                throw .unsupportedAttribute(node: label, detail: "a constant of \(c.count) values against \(channels) channels")
            }
            let values = c.count == 1 ? [Float](repeating: c[0], count: channels) : c
            let op: GraphOp = isAdd
                ? .channelAffine(scale: [Float](repeating: 1, count: channels), shift: values)
                : .channelAffine(scale: values, shift: [Float](repeating: 0, count: channels))
            return .activation(try append(op, [x], label))
        default:
            throw .unsupportedAttribute(node: label, detail: "arithmetic on two constants")
        }
    }

    /// A Const layer's data from the .bin, widened to fp32.
    private func constant(_ layer: IRLayer) throws(ModelFormatError) -> Value {
        let label = layer.label
        guard let offset = Int(layer.data["offset"] ?? ""), let size = Int(layer.data["size"] ?? ""), offset >= 0, size >= 0,
              let shape = layer.data["shape"] else {
            throw .badConstant(name: label, detail: "needs offset, size and shape")
        }
        let dims = shape.isEmpty ? [] : shape.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let count = constantElementCount(dims) else { throw .badConstant(name: label, detail: "shape \(shape) is negative or too large") }
        let width: Int
        switch layer.data["element_type"] {
        case "f16": width = 2
        case "f32": width = 4
        default: throw .badConstant(name: label, detail: "element type \(layer.data["element_type"] ?? "?"); f16 and f32 are supported")
        }
        guard count * width == size else { throw .badConstant(name: label, detail: "\(size) bytes for shape \(dims) of \(layer.data["element_type"]!)") }
        guard offset <= weights.count, size <= weights.count - offset else {
            throw .badConstant(name: label, detail: "bytes \(offset)..<\(offset + size) lie outside the \(weights.count)-byte .bin")
        }
        let values: [Float] = weights.withUnsafeBytes { raw in
            (0..<count).map { i in
                width == 2
                    ? Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset + i * 2, as: UInt16.self))))
                    : Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + i * 4, as: UInt32.self)))
            }
        }
        return .constant(dims: dims, values: values)
    }
}

/// IR Convolution / GroupConvolution settings as a `GraphConvolution`.
enum IRConvolution {
    static func make(_ layer: IRLayer, weightDims dims: [Int], weights: [Float], grouped: Bool) throws(ModelFormatError) -> GraphConvolution {
        let label = layer.label
        guard (layer.data["auto_pad"] ?? "explicit") == "explicit", (layer.ints("dilations") ?? [1, 1]) == [1, 1],
              let strides = layer.ints("strides"), strides.count == 2, strides.allSatisfy({ (1...graphWindowLimit).contains($0) }),
              let begin = layer.ints("pads_begin"), let end = layer.ints("pads_end"), begin.count == 2, end.count == 2,
              (begin + end).allSatisfy({ (0...graphWindowLimit).contains($0) }) else {
            throw .unsupportedAttribute(node: label, detail: "explicit padding, no dilation, 2-D strides and pads of at most \(graphWindowLimit) are supported")
        }
        let groups: Int, out: Int, inPerGroup: Int, kh: Int, kw: Int
        if grouped {
            guard dims.count == 5 else { throw .badConstant(name: label, detail: "group weights \(dims), expected 5-D") }
            (groups, out, inPerGroup, kh, kw) = (dims[0], dims[0] * dims[1], dims[2], dims[3], dims[4])
        } else {
            guard dims.count == 4 else { throw .badConstant(name: label, detail: "weights \(dims), expected 4-D") }
            (groups, out, inPerGroup, kh, kw) = (1, dims[0], dims[1], dims[2], dims[3])
        }
        guard [kh, kw].allSatisfy({ (1...graphWindowLimit).contains($0) }) else {
            throw .unsupportedAttribute(node: label, detail: "kernel \(kh)x\(kw); at most \(graphWindowLimit)")
        }
        let inChannels = inPerGroup * groups
        guard let inDims = layer.inputPorts.first?.dims, inDims.count == 4, inDims[1] == inChannels else {
            throw .shapeMismatch(node: label, detail: "weights \(dims) against input \(layer.inputPorts.first?.dims ?? [])")
        }
        return GraphConvolution(outChannels: out, inChannels: inChannels, groups: groups, kernelHeight: kh, kernelWidth: kw,
                                strideY: strides[0], strideX: strides[1], padTop: begin[0], padLeft: begin[1],
                                padBottom: end[0], padRight: end[1], weights: weights,
                                bias: [Float](repeating: 0, count: out))
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
