/// Everything the detector network needs for one input shape bucket: the oneDNN primitives for
/// its six 5x5 convolutions and the arena layout of its buffers. Created once per bucket
/// (primitive creation costs 0.1-1 ms each) and reused for every image that falls in it.
final class DetectorPlan {
    let input: TensorShape
    let convolutions: [Conv2D]
    let scoreShape: TensorShape
    let arenaPlan: ArenaPlan

    /// Arena buffer ids.
    let inputBuffer: Int
    let outputs: [Int]
    let partials: Int
    let scores: Int
    let scratchpad: Int

    init(engine: NetEngine, weights: DetectorWeights, input: TensorShape) throws {
        self.input = input
        var planner = ArenaPlanner()
        inputBuffer = planner.add(bytes: input.byteCount, firstUse: 0, lastUse: 1)
        var convolutions: [Conv2D] = []
        var outputs: [Int] = []
        var shape = input
        var scratchBytes = 0
        for (index, layer) in weights.convolutions.enumerated() {
            let conv = try engine.convolution(layer, input: shape, epilogue: .relu)
            convolutions.append(conv)
            scratchBytes = max(scratchBytes, conv.scratchpadBytes)
            // Step index+1 runs this layer; its output is read by the next step.
            outputs.append(planner.add(bytes: conv.output.byteCount, firstUse: index + 1, lastUse: index + 2))
            shape = conv.output
        }
        let last = convolutions.count + 1
        partials = planner.add(bytes: shape.height * shape.width * weights.scoreMap.partialMapCount * 4,
                               firstUse: last, lastUse: last)
        scoreShape = TensorShape(height: shape.height, width: shape.width, channels: weights.scoreMap.maps)
        scores = planner.add(bytes: scoreShape.byteCount, firstUse: last, lastUse: last + 1)
        scratchpad = planner.add(bytes: scratchBytes, firstUse: 1, lastUse: convolutions.count)
        self.convolutions = convolutions
        self.outputs = outputs
        arenaPlan = planner.plan()
    }
}

/// The model's weights in the engine's form, shared by every `FaceDetector`.
final class DetectorWeights: Sendable {
    let convolutions: [ConvWeights]
    let scoreMap: ScoreMapLayer

    init(layers: [DetectorConvLayer]) throws {
        guard let last = layers.last else { throw NetError.invalidLayer("detector without layers") }
        // Pack for the shapes of an 800x533 photo's tiled pyramid (822x1973 -> bucket 832x1984).
        var shape = TensorShape(height: 1984, width: 832, channels: 3)
        var packed: [ConvWeights] = []
        for layer in layers.dropLast() {
            let spec = ConvSpec(outChannels: layer.outChannels, inChannels: layer.inChannels,
                                kernelHeight: layer.kernel, kernelWidth: layer.kernel,
                                strideY: layer.stride, strideX: layer.stride, padY: layer.padding, padX: layer.padding)
            packed.append(try ConvWeights(spec: spec, oihw: layer.weights, bias: layer.bias, typicalInput: shape))
            shape = try spec.output(for: shape)
        }
        convolutions = packed
        scoreMap = ScoreMapLayer(last)
    }
}
