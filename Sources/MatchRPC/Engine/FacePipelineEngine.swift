import FaceNet

/// The real engine: dlib's three models loaded once (`FaceModels`, shared read-only), one
/// `FacePipeline` per worker thread. Only the largest face gets a descriptor; the others are
/// still counted (MULTIPLE_FACES_DETECTED).
public struct FacePipelineEngine: FaceAnalyzerFactory {
    /// Names the descriptor model; the store refuses a directory made with another one.
    public static let defaultModelID = FaceModelID.dlib.rawValue

    public let models: FaceModels
    public let modelID: String
    /// Threads each worker's pipeline uses inside one call.
    public let threadsPerWorker: Int
    /// Smallest face (working-image pixels) the detector must find; see `FaceDetector.detect`.
    public let minimumFaceSize: Int
    /// How descriptors are formed; see `defaultDescriptorMode`.
    public let descriptorMode: DescriptorMode

    /// Mirror-averaged: on LFW it cuts the errors at d = 0.6 from 77 to 54 of 6,000 for a second
    /// network pass (docs/score-calibration.md). `ScoreCalibration.dlib` is calibrated on these descriptors.
    public static let defaultDescriptorMode = DescriptorMode.mirrorAveraged

    public init(models: FaceModels, modelID: String = FacePipelineEngine.defaultModelID, threadsPerWorker: Int = 1,
                minimumFaceSize: Int = FacePipeline.defaultMinimumFaceSize,
                descriptorMode: DescriptorMode = FacePipelineEngine.defaultDescriptorMode) {
        self.models = models
        self.modelID = modelID
        self.threadsPerWorker = max(1, threadsPerWorker)
        self.minimumFaceSize = minimumFaceSize
        self.descriptorMode = descriptorMode
    }

    /// Loads and checks (size, SHA-256) the three model files in `directory`.
    public init(modelsDirectory directory: String, threadsPerWorker: Int = 1,
                minimumFaceSize: Int = FacePipeline.defaultMinimumFaceSize) throws {
        self.init(models: try FaceModels(directory: directory), threadsPerWorker: threadsPerWorker,
                  minimumFaceSize: minimumFaceSize)
    }

    public func makeAnalyzer() throws -> any FaceAnalyzing {
        var options = FacePipeline.Options.largestFace
        options.minimumFaceSize = minimumFaceSize
        options.descriptorMode = descriptorMode
        return PipelineAnalyzer(pipeline: try FacePipeline(models: models, threads: threadsPerWorker), options: options)
    }
}

/// One worker's pipeline. Undecodable, unsupported or oversize images are the caller's fault
/// (INVALID_ARGUMENT); any other pipeline failure is internal.
struct PipelineAnalyzer: FaceAnalyzing {
    let pipeline: FacePipeline
    let options: FacePipeline.Options

    func analyze(imageBytes: [UInt8], shouldStop: @escaping @Sendable () -> Bool) throws -> FaceAnalysis {
        var options = options
        options.shouldStop = shouldStop
        do {
            return try pipeline.analyze(imageBytes: imageBytes, options: options)
        } catch {
            switch error {
            case .decode(let reason): throw AnalysisError.invalidImage("\(reason)")
            case .stopped: throw AnalysisError.stopped
            default: throw error
            }
        }
    }
}
