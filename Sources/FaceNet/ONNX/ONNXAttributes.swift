/// Typed access to one ONNX node's attributes, with ONNX's defaults and our limits.
struct ONNXAttributes {
    let node: ONNXMessage.Node
    let label: String

    func ints(_ name: String) -> [Int64] { node.attributes[name]?.ints ?? [] }
    func int(_ name: String) -> Int64? { node.attributes[name]?.int }
    func string(_ name: String) -> String? { node.attributes[name]?.string }

    /// kernel_shape, strides, pads (top, left, bottom, right), with dilations 1 and explicit padding only.
    func window() throws(ModelFormatError) -> (kernel: [Int], strides: [Int], pads: [Int]) {
        if let autoPad = string("auto_pad"), autoPad != "NOTSET" {
            throw .unsupportedAttribute(node: label, detail: "auto_pad \(autoPad)")
        }
        let dilations = ints("dilations")
        guard dilations.isEmpty || dilations == [1, 1] else { throw .unsupportedAttribute(node: label, detail: "dilations \(dilations)") }
        let kernel = ints("kernel_shape").map(Int.init)
        let strides = ints("strides").isEmpty ? [1, 1] : ints("strides").map(Int.init)
        let pads = ints("pads").isEmpty ? [0, 0, 0, 0] : ints("pads").map(Int.init)
        guard strides.count == 2, strides.allSatisfy({ (1...graphWindowLimit).contains($0) }), pads.count == 4,
              pads.allSatisfy({ (0...graphWindowLimit).contains($0) }), kernel.allSatisfy({ (1...graphWindowLimit).contains($0) }) else {
            throw .unsupportedAttribute(node: label, detail: "kernel \(kernel), strides \(strides), pads \(pads) (2-D, each at most \(graphWindowLimit))")
        }
        return (kernel, strides, pads)
    }

    func maxPool() throws(ModelFormatError) -> PoolSpec {
        let (kernel, strides, pads) = try window()
        guard kernel.count == 2, kernel.allSatisfy({ $0 > 0 }) else { throw .unsupportedAttribute(node: label, detail: "kernel_shape \(kernel)") }
        guard (int("ceil_mode") ?? 0) == 0, (int("storage_order") ?? 0) == 0 else {
            throw .unsupportedAttribute(node: label, detail: "ceil_mode or storage_order other than 0")
        }
        guard pads[0] == pads[2], pads[1] == pads[3] else { throw .unsupportedAttribute(node: label, detail: "asymmetric pooling pads \(pads)") }
        guard node.outputs.count == 1 else { throw .unsupportedAttribute(node: label, detail: "MaxPool indices output") }
        return PoolSpec(kind: .max, windowHeight: kernel[0], windowWidth: kernel[1], strideY: strides[0], strideX: strides[1],
                        padY: pads[0], padX: pads[1])
    }

    /// The whole-number height and width factors of a nearest, asymmetric, floor Resize.
    func nearestResize(scales: [Float], hasSizes: Bool) throws(ModelFormatError) -> (y: Int, x: Int) {
        guard string("mode") == "nearest", (string("coordinate_transformation_mode") ?? "half_pixel") == "asymmetric",
              (string("nearest_mode") ?? "round_prefer_floor") == "floor" else {
            throw .unsupportedAttribute(node: label, detail: "Resize mode \(string("mode") ?? "nearest")/\(string("coordinate_transformation_mode") ?? "half_pixel")/\(string("nearest_mode") ?? "round_prefer_floor"); only nearest/asymmetric/floor")
        }
        guard !hasSizes, scales.count == 4, scales[0] == 1, scales[1] == 1,
              (1...Float(graphWindowLimit)).contains(scales[2]), (1...Float(graphWindowLimit)).contains(scales[3]),
              scales[2] == scales[2].rounded(), scales[3] == scales[3].rounded() else {
            throw .unsupportedAttribute(node: label, detail: "Resize scales \(scales); only whole spatial factors")
        }
        return (Int(scales[2]), Int(scales[3]))
    }
}

/// ONNX Conv's constants and attributes as a `GraphConvolution`.
enum ONNXConvolution {
    static func make(weights w: ONNXMessage.Tensor, bias: ONNXMessage.Tensor?, attributes: ONNXAttributes,
                     inChannels: Int, label: String) throws(ModelFormatError) -> GraphConvolution {
        let (kernel, strides, pads) = try attributes.window()
        guard let weights = w.floats, w.dims.count == 4 else { throw .badConstant(name: label, detail: "weights must be 4-D float, are \(w.dims)") }
        let groups = Int(attributes.int("group") ?? 1)
        let (out, perGroupIn, kh, kw) = (w.dims[0], w.dims[1], w.dims[2], w.dims[3])
        guard groups > 0, out % groups == 0, perGroupIn * groups == inChannels, kernel.isEmpty || kernel == [kh, kw],
              [kh, kw].allSatisfy({ (1...graphWindowLimit).contains($0) }) else {
            throw .shapeMismatch(node: label, detail: "weights \(w.dims), group \(groups), \(inChannels) input channels, kernel_shape \(kernel)")
        }
        let b = bias?.floats ?? [Float](repeating: 0, count: out)
        guard b.count == out else { throw .badConstant(name: label, detail: "\(b.count) biases for \(out) outputs") }
        return GraphConvolution(outChannels: out, inChannels: inChannels, groups: groups, kernelHeight: kh, kernelWidth: kw,
                                strideY: strides[0], strideX: strides[1], padTop: pads[0], padLeft: pads[1],
                                padBottom: pads[2], padRight: pads[3], weights: weights, bias: b)
    }
}
