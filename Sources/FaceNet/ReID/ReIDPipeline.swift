/// The second family end to end on one thread's engines: image bytes in, YuNet's faces (largest
/// first) with their 0095 embeddings out, coordinates in the upright original image.
/// Use from one thread at a time; the models are shared.
public final class ReIDPipeline {
    public struct Face: Sendable {
        /// Box corners (left, top) and (right, bottom) in original-image pixels.
        public var left, top, right, bottom: Double
        /// The five landmarks in original-image pixels, image-left first.
        public var landmarks: [(x: Double, y: Double)]
        public var score: Float
        /// 256 values; compare with `ReIDEmbedder.cosine` (or `angularDistance`, as the service does).
        public var embedding: [Float]
    }

    public struct Analysis: Sendable {
        /// The upright original's size.
        public var width: Int
        public var height: Int
        public var faces: [Face]
    }

    public let detector: YuNetDetector
    public let embedder: ReIDEmbedder

    public init(detector: YuNetModel, embedder: ReIDModel, threads: Int = 1) throws {
        self.detector = try YuNetDetector(model: detector, threads: threads)
        self.embedder = try ReIDEmbedder(model: embedder, threads: 1)
    }

    /// Decodes (with `limits`), detects, and embeds the largest `limit` faces (all when nil).
    public func analyze(imageBytes: [UInt8], limit: Int? = nil, limits: DecodeLimits = .default,
                        options: YuNetDetector.Options = .init()) throws -> Analysis {
        let decoded = try ImageDecoder.decode(imageBytes, limits: limits)
        var found = try detector.detect(decoded.image, options: options).sorted { $0.area > $1.area }
        if let limit { found = Array(found.prefix(max(0, limit))) }
        func original(_ x: Float, _ y: Float) -> (x: Double, y: Double) { decoded.originalPoint(x: Double(x), y: Double(y)) }
        let faces = try found.map { f -> Face in
            let a = original(f.x, f.y), b = original(f.x + f.width, f.y + f.height)
            let embedding = try SimilarityAlignment.crop(decoded.image, landmarks: f.landmarks).map { try embedder.embed(crop: $0) } ?? []
            return Face(left: a.x, top: a.y, right: b.x, bottom: b.y, landmarks: f.landmarks.map { original($0.x, $0.y) },
                        score: f.score, embedding: embedding)
        }
        return Analysis(width: decoded.originalWidth, height: decoded.originalHeight, faces: faces)
    }
}
