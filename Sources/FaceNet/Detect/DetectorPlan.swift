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
