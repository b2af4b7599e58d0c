import FaceNet

/// The second family as a service engine: YuNet and face-reidentification-retail-0095 loaded once
/// (shared read-only), one detector and embedder per worker thread. Only the largest face gets an
/// embedding (stored at unit length: see `FaceModelID.reidentification0095`); the others are still
/// counted (MULTIPLE_FACES_DETECTED).
public struct ReIDEngine: FaceAnalyzerFactory {
    public let detector: YuNetModel
    public let embedder: ReIDModel
    /// Threads each worker's detector uses inside one call (the embedder's small network uses one).
    public let threadsPerWorker: Int

    public var modelID: String { FaceModelID.reidentification0095.rawValue }

    public init(detector: YuNetModel, embedder: ReIDModel, threadsPerWorker: Int = 1) {
        self.detector = detector
        self.embedder = embedder
        self.threadsPerWorker = max(1, threadsPerWorker)
    }

    /// Loads and checks (size, SHA-256) `yunet/` and `face-reidentification-retail-0095/` in `directory`.
    public init(modelsDirectory directory: String, threadsPerWorker: Int = 1) throws {
        self.init(detector: try YuNetModel(directory: directory), embedder: try ReIDModel(directory: directory),
                  threadsPerWorker: threadsPerWorker)
    }

    public func makeAnalyzer() throws -> any FaceAnalyzing {
        ReIDAnalyzer(pipeline: try ReIDPipeline(detector: detector, embedder: embedder, threads: threadsPerWorker))
    }
}

/// One worker's YuNet + 0095. Undecodable images are the caller's fault (INVALID_ARGUMENT).
struct ReIDAnalyzer: FaceAnalyzing {
    let pipeline: ReIDPipeline

    func analyze(imageBytes: [UInt8], shouldStop: @escaping @Sendable () -> Bool) throws -> FaceAnalysis {
        let decoded: DecodedImage
        do { decoded = try ImageDecoder.decode(imageBytes, limits: .default) } catch {
            throw AnalysisError.invalidImage("\(error)")
        }
        if shouldStop() { throw AnalysisError.stopped }
        let found = try pipeline.detector.detect(decoded.image).sorted { $0.area > $1.area }
        if shouldStop() { throw AnalysisError.stopped }
        var faces: [AnalyzedFace] = []
        for detection in found {
            let box = Self.box(detection, decoded)
            let landmarks = detection.landmarks.map { p in
                let q = decoded.originalPoint(x: Double(p.x), y: Double(p.y))
                return FacePoint(x: q.x, y: q.y)
            }
            guard faces.isEmpty else {
                faces.append(AnalyzedFace(box: box, confidence: detection.score, landmarks: landmarks, embedding: []))
                continue
            }
            // Landmarks too degenerate to align: not a usable face.
            guard let crop = SimilarityAlignment.crop(decoded.image, landmarks: detection.landmarks) else { continue }
            let embedding = Self.unitLength(try pipeline.embedder.embed(crop: crop))
            let quality = FaceQualityMeasure.measure(landmarks: Self.qualityPoints(landmarks), chip: crop,
                                                     imageWidth: decoded.originalWidth, imageHeight: decoded.originalHeight)
            faces.append(AnalyzedFace(box: box, confidence: detection.score, landmarks: landmarks, embedding: embedding,
                                      quality: quality))
        }
        return FaceAnalysis(width: decoded.originalWidth, height: decoded.originalHeight, faces: faces)
    }

    /// The box in the original upright frame, with inclusive corners as `FaceBox` keeps them.
    static func box(_ face: YuNetFace, _ decoded: DecodedImage) -> FaceBox {
        let a = decoded.originalPoint(x: Double(face.x), y: Double(face.y))
        let b = decoded.originalPoint(x: Double(face.x + face.width), y: Double(face.y + face.height))
        return FaceBox(left: min(a.x, b.x), top: min(a.y, b.y), right: max(a.x, b.x) - 1, bottom: max(a.y, b.y) - 1)
    }

    /// `FaceQualityMeasure` reads dlib's five points (two corners of the image-right eye, two of
    /// the image-left eye, the nose): YuNet's eye centres stand in for both corners of each eye
    /// and its nose tip for the bottom of the nose, so eye distance, roll and yaw are measured
    /// the same way. The pixel statistics come from 0095's 128x128 crop.
    static func qualityPoints(_ p: [FacePoint]) -> [FacePoint] {
        guard p.count == 5 else { return p }
        return [p[1], p[1], p[0], p[0], p[2]]
    }

    static func unitLength(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        guard norm > 0 else { return v }
        return v.map { Float(Double($0) / norm) }
    }
}
