import Foundation

/// The three dlib models, loaded once per process and shared read-only by every thread's
/// `FacePipeline`.
public final class FaceModels: Sendable {
    let detector: DetectorModel
    public let shapePredictor: ShapePredictor
    public let embedder: EmbedderModel

    init(detector: DetectorModel, shapePredictor: ShapePredictor, embedder: EmbedderModel) {
        self.detector = detector
        self.shapePredictor = shapePredictor
        self.embedder = embedder
    }

    /// Loads `mmod_human_face_detector.dat`, `shape_predictor_5_face_landmarks.dat` and
    /// `dlib_face_recognition_resnet_model_v1.dat` from `directory`, checking each file's size
    /// and SHA-256 before parsing it.
    public convenience init(directory: String) throws(FaceModelsError) {
        let detectorBytes = try ModelFile.detector.read(in: directory)
        let shapeBytes = try ModelFile.shapePredictor.read(in: directory)
        let embedderBytes = try ModelFile.embedder.read(in: directory)
        let detector: DetectorModel, shapePredictor: ShapePredictor, embedder: EmbedderModel
        do { detector = try DetectorModel(bytes: detectorBytes) } catch {
            throw .invalid(file: ModelFile.detector.name, reason: "\(error)")
        }
        do { shapePredictor = try ShapePredictor(bytes: shapeBytes) } catch {
            throw .invalid(file: ModelFile.shapePredictor.name, reason: "\(error)")
        }
        do { embedder = try EmbedderModel(parameters: ResNetModelReader.parse(bytes: embedderBytes)) } catch {
            throw .invalid(file: ModelFile.embedder.name, reason: "\(error)")
        }
        self.init(detector: detector, shapePredictor: shapePredictor, embedder: embedder)
    }

    /// The models folder: the explicit one (`--models`), else `FACEMATCH_MODEL_DIR`, else `./models`.
    public static func directory(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["FACEMATCH_MODEL_DIR"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "models"
    }
}
