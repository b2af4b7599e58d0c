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
