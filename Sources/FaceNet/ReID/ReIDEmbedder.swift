/// 256-d face embeddings with face-reidentification-retail-0095 on one thread's engine.
/// Use from one thread at a time.
public final class ReIDEmbedder {
    public let model: ReIDModel
    private let runner: GraphRunner

    public init(model: ReIDModel, threads: Int = 1) throws {
        self.model = model
        runner = try GraphRunner(model: model.graph, engine: NetEngine(threads: threads),
                                 height: SimilarityAlignment.side, width: SimilarityAlignment.side)
    }

    /// The embedding of an aligned 128x128 crop (`SimilarityAlignment.crop`).
    public func embed(crop: RGBImage) throws -> [Float] {
        let side = SimilarityAlignment.side
        guard crop.width == side, crop.height == side else {
            throw NetError.sizeMismatch(what: "aligned crop pixels", expected: side * side, found: crop.width * crop.height)
        }
        let input = runner.input
        crop.pixels.withUnsafeBufferPointer { p in
            for i in 0..<(side * side) {
                input[i * 3] = Float(p[i * 3 + 2])
                input[i * 3 + 1] = Float(p[i * 3 + 1])
                input[i * 3 + 2] = Float(p[i * 3])
            }
        }
        try runner.run()
        return Array(UnsafeBufferPointer(start: runner.output(model.output), count: ReIDModel.dimensions))
    }

    /// Bytes of activation memory.
    public var arenaBytes: Int { runner.arenaBytes }

    /// Cosine similarity of two embeddings, in -1...1 (0 when either is all zeros).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float { Float(cosineSimilarity(a, b)) }
}
