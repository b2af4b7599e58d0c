import Foundation

/// Parses dlib_face_recognition_resnet_model_v1.dat and checks every layer against
/// `ResNetArchitecture`: anything unexpected or truncated is a `DlibModelError`.
///
/// File layout (dlib/dnn/core.h): add_loss_layer version (int 1), the loss ("loss_metric_2" with
/// float margin and distance threshold, or "loss_metric_"), then the nested layers. Each wrapper
/// writes its version first and then its sub-network, so the file holds the versions of all
/// wrappers from the output inwards (add_layer 1-2, tag/skip 1, the add_layer on the input 2-3),
/// then the input layer ("input_rgb_image_sized", three float means, unsigned nr and nc), then, from
/// the input outwards, each add_layer's details and bookkeeping (see `DlibLayerReader`).
enum ResNetModelReader {
    static func read(path: String) throws -> ResNetParameters {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DlibModelError.fileUnreadable(path: path, reason: "missing or not readable")
        }
        return try parse(bytes: [UInt8](data))
    }

    static func parse(bytes: [UInt8]) throws -> ResNetParameters {
        var reader = DlibDeserializer(bytes: bytes)
        let lossVersion = try reader.readInt32()
        guard lossVersion == 1 else { throw DlibModelError.malformed("add_loss_layer version \(lossVersion)", at: 0) }
        let lossStart = reader.offset
        switch try reader.readString() {
        case "loss_metric_2": _ = try reader.readFloat(); _ = try reader.readFloat()
        case "loss_metric_": break
        case let other: throw DlibModelError.unexpectedArchitecture("loss \"\(other)\" at offset \(lossStart), expected loss_metric_")
        }

        let items = ResNetArchitecture.items
        var versions = [Int32](repeating: 0, count: items.count)
        for index in items.indices.reversed() {
            let start = reader.offset
            let version = try reader.readInt32()
            let allowed: ClosedRange<Int32> = !items[index].isAddLayer ? 1...1 : (index == 0 ? 2...3 : 1...2)
            guard allowed.contains(version) else {
                throw DlibModelError.unexpectedArchitecture("layer \(index) (\(items[index])) has version \(version) at offset \(start)")
            }
            versions[index] = version
        }

        try reader.expectString("input_rgb_image_sized")
        let means = (try reader.readFloat(), try reader.readFloat(), try reader.readFloat())
        let sizeStart = reader.offset
        let (nr, nc) = (try reader.readUInt(), try reader.readUInt())
        guard nr == ResNetArchitecture.inputSize, nc == ResNetArchitecture.inputSize else {
            throw DlibModelError.unexpectedArchitecture("input \(nr)x\(nc) at offset \(sizeStart), expected 150x150")
        }

        var convolutions: [DlibConvLayer] = []
        var fc: [Float] = []
        var channels = 3
        for (index, item) in items.enumerated() where item.isAddLayer {
            let start = reader.offset
            switch item {
            case let .conv(out, kernel, stride):
                let conv = try reader.readConvLayer()
                let pad = stride == 1 ? kernel / 2 : 0
                let expected = ConvSpec(outChannels: out, inChannels: channels, kernelHeight: kernel, kernelWidth: kernel,
                                        strideY: stride, strideX: stride, padY: pad, padX: pad)
                guard conv.spec == expected else {
                    throw DlibModelError.unexpectedArchitecture("layer \(index) at offset \(start) is \(conv.spec), expected \(expected)")
                }
                convolutions.append(conv)
                channels = out
            case let .affine(count):
                let affine = try reader.readAffineLayer(channels: count)
                guard let last = convolutions.popLast() else {
                    throw DlibModelError.unexpectedArchitecture("affine without a convolution at offset \(start)")
                }
                convolutions.append(fold(affine, into: last))
            case .relu: try reader.expectString("relu_")
            case .addPrev: try reader.expectString("add_prev_")
            case .maxPool: try expectPool(&reader, "max_pool_2", .init(windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2, padY: 0, padX: 0))
            case .avgPoolDown: try expectPool(&reader, "avg_pool_2", .init(windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2, padY: 0, padX: 0))
            case .avgPoolAll: try expectPool(&reader, "avg_pool_2", .init(windowHeight: 0, windowWidth: 0, strideY: 1, strideX: 1, padY: 0, padX: 0))
            case .fc: fc = try readFC(&reader, inputs: channels)
            case .tag, .skip: break
            }
            try reader.skipAddLayerTail(version: versions[index], onInput: index == 0)
        }
        guard reader.isAtEnd else {
            throw DlibModelError.unexpectedArchitecture("\(reader.remaining) unexpected bytes after the network at offset \(reader.offset)")
        }
        return ResNetParameters(meanRed: means.0, meanGreen: means.1, meanBlue: means.2, convolutions: convolutions,
                                fcWeights: fc, fcInputs: channels, fcOutputs: ResNetArchitecture.descriptorSize)
    }

    static func fold(_ affine: DlibAffineLayer, into conv: DlibConvLayer) -> DlibConvLayer {
        let perFilter = conv.spec.weightCount / conv.spec.outChannels
        var filters = conv.filters
        var biases = conv.biases
        for o in 0..<conv.spec.outChannels {
            let g = affine.gamma[o]
            for j in (o * perFilter)..<((o + 1) * perFilter) { filters[j] *= g }
            biases[o] = biases[o] * g + affine.beta[o]
        }
        return DlibConvLayer(spec: conv.spec, filters: filters, biases: biases)
    }

    private static func expectPool(_ reader: inout DlibDeserializer, _ name: String, _ expected: DlibPoolLayer) throws {
        let start = reader.offset
        let pool = try reader.readPoolLayer(name)
        guard pool == expected else {
            throw DlibModelError.unexpectedArchitecture("\(name) at offset \(start) is \(pool), expected \(expected)")
        }
    }

    /// fc_2/fc_3: unsigned num_outputs, num_inputs, params tensor, alias weights, alias biases,
    /// int bias_mode (1 = no bias), four doubles, fc_3: bool use_bias.
    private static func readFC(_ reader: inout DlibDeserializer, inputs: Int) throws -> [Float] {
        let start = reader.offset
        let version = try reader.readString()
        guard version == "fc_2" || version == "fc_3" else {
            throw DlibModelError.unexpectedArchitecture("expected fc_2/fc_3 at offset \(start), found \"\(version)\"")
        }
        let outputs = try reader.readUInt(), declaredInputs = try reader.readUInt()
        let params = try reader.readTensor()
        let weightDims = try reader.readAliasTensor()
        _ = try reader.readAliasTensor()
        let biasMode = try reader.readInt32()
        for _ in 0..<4 { _ = try reader.readDouble() }
        if version == "fc_3" { _ = try reader.readBool() }
        let count = inputs * ResNetArchitecture.descriptorSize
        guard outputs == ResNetArchitecture.descriptorSize, declaredInputs == inputs, biasMode == 1,
              weightDims.count == 4, weightDims[0] == inputs, weightDims[1] == ResNetArchitecture.descriptorSize,
              params.values.count == count else {
            throw DlibModelError.unexpectedArchitecture(
                "fc at offset \(start): \(declaredInputs)->\(outputs), bias mode \(biasMode), weights \(weightDims), \(params.values.count) params; expected \(inputs)->128 without bias")
        }
        return params.values
    }
}
