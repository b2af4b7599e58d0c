/// decode → detect → landmarks → chip → embed, for one thread at a time (it owns a detector
/// and an embedder with their working buffers); make one per worker over shared `FaceModels`.
public final class FacePipeline {
    public struct Options: Sendable {
        /// How many faces, largest first, get landmarks and a descriptor; nil embeds all. Faces
        /// past the limit are still reported (box and confidence, empty landmarks and embedding)
        /// so that callers can tell how many faces the image holds.
        public var embedLimit: Int?
        /// Faces smaller than this (working-image pixels) may be skipped by the detector.
        public var minimumFaceSize: Int
        public var decodeLimits: DecodeLimits
        /// How each descriptor is formed from the face chip.
        public var descriptorMode: DescriptorMode
        /// Asked between stages (after decoding, after detection, before each face's descriptor);
        /// true stops the analysis with `FacePipelineError.stopped`. A server stops a call
        /// whose deadline passed this way.
        public var shouldStop: (@Sendable () -> Bool)?

        public init(embedLimit: Int? = nil, minimumFaceSize: Int = FacePipeline.defaultMinimumFaceSize,
                    decodeLimits: DecodeLimits = .default, descriptorMode: DescriptorMode = .single,
                    shouldStop: (@Sendable () -> Bool)? = nil) {
            self.embedLimit = embedLimit
            self.minimumFaceSize = minimumFaceSize
            self.decodeLimits = decodeLimits
            self.descriptorMode = descriptorMode
            self.shouldStop = shouldStop
        }

        func checkStop() throws(FacePipelineError) {
            if let shouldStop, shouldStop() { throw .stopped }
        }

        /// For 1:1 compare: only the largest face needs a descriptor.
        public static let largestFace = Options(embedLimit: 1)
    }

    /// The detector's default (80 px, its window at the finest pyramid level): every pyramid level
    /// runs, so no face dlib would find is lost.
    public static let defaultMinimumFaceSize = FaceDetector.defaultMinimumFaceSize

    public let models: FaceModels
    public let detector: FaceDetector
    public let embedder: FaceEmbedder

    /// - Parameter threads: threads one call may use, for the detector's and the embedder's
    ///   convolutions (measured on 2 cores: a chip's descriptor in 5-7 ms on two threads against
    ///   8.5-10.5 ms on one). Default: every online processor, for a lone caller. A server with
    ///   one pipeline per worker shares the cores out instead.
    public init(models: FaceModels, threads: Int = ProcessorCount.available) throws(FacePipelineError) {
        self.models = models
        do {
            detector = try FaceDetector(model: models.detector, threads: threads)
            embedder = try FaceEmbedder(model: models.embedder, threads: threads)
        } catch {
            throw .engine("\(error)")
        }
    }

    /// Analyses an encoded image (JPEG, PNG or WebP, recognised by content).
    public func analyze(imageBytes: [UInt8], options: Options = Options()) throws(FacePipelineError) -> FaceAnalysis {
        let decoded: DecodedImage
        do { decoded = try ImageDecoder.decode(imageBytes, limits: options.decodeLimits) } catch {
            throw .decode(error)
        }
        try options.checkStop()
        return try analyze(decoded, options: options)
    }

    /// Analyses an already decoded image; coordinates come back in its original upright frame.
    func analyze(_ decoded: DecodedImage, options: Options = Options()) throws(FacePipelineError) -> FaceAnalysis {
        let image = decoded.image
        let detections: [FaceDetection]
        do { detections = try detectFaces(image, minimumFaceSize: options.minimumFaceSize, shouldStop: options.shouldStop) } catch {
            throw .detection("\(error)")
        }
        try options.checkStop()
        let limit = max(0, options.embedLimit ?? detections.count)
        var faces: [AnalyzedFace] = []
        faces.reserveCapacity(detections.count)
        for (rank, detection) in detections.enumerated() {
            let box = Self.originalBox(detection.box, decoded)
            guard rank < limit else {
                faces.append(AnalyzedFace(box: box, confidence: detection.confidence, landmarks: [], embedding: []))
                continue
            }
            try options.checkStop()
            let face = try describe(image, box: detection.box, mode: options.descriptorMode)
            let mapped = face.landmarks.map { p in
                let q = decoded.originalPoint(x: p.x, y: p.y)
                return FacePoint(x: q.x, y: q.y)
            }
            let quality = FaceQualityMeasure.measure(landmarks: mapped, chip: face.chip,
                                                     imageWidth: decoded.originalWidth, imageHeight: decoded.originalHeight)
            faces.append(AnalyzedFace(box: box, confidence: detection.confidence, landmarks: mapped,
                                      embedding: face.embedding, quality: quality))
        }
        return FaceAnalysis(width: decoded.originalWidth, height: decoded.originalHeight, faces: faces)
    }

    /// A working-image box in the original frame.
    public static func originalBox(_ box: FaceBox, _ decoded: DecodedImage) -> FaceBox {
        box.scaled(x: decoded.scaleX, y: decoded.scaleY)
    }
}

public enum FacePipelineError: Error, CustomStringConvertible {
    case decode(ImageDecodeError)
    case engine(String)
    case detection(String)
    case alignment(FaceAlignmentError)
    case embedding(String)
    /// `Options.shouldStop` answered true between two stages.
    case stopped

    public var description: String {
        switch self {
        case let .decode(error): return "\(error)"
        case let .engine(reason): return "inference engine could not start: \(reason)"
        case let .detection(reason): return "face detection failed: \(reason)"
        case let .alignment(error): return "face alignment failed: \(error)"
        case let .embedding(reason): return "face descriptor failed: \(reason)"
        case .stopped: return "analysis stopped between stages"
        }
    }
}
