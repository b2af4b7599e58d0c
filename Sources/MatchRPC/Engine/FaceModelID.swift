import EmbeddingStore

/// The face-model families the service runs, by their published names (config `model`,
/// `previous_model`, `facematch embed|compare --model`, the store's model id).
public enum FaceModelID: String, CaseIterable, Sendable {
    /// dlib's MMOD detector, 5-point shape predictor and ResNet: 128-d mirror-averaged
    /// descriptors compared by direction (L2 distance at unit length, sqrt(2 - 2 cos); on LFW this
    /// beats dlib's own L2 on the raw descriptors: docs/score-calibration.md).
    case dlib = "dlib_face_recognition_resnet_model_v1"
    /// YuNet detection with face-reidentification-retail-0095: 256-d embeddings (stored at unit
    /// length) compared by direction, as dlib's.
    case reidentification0095 = "face-reidentification-retail-0095"

    /// The model of applications that name none, of the development application and of
    /// `facematch embed|compare` without `--model`. An application that names none but holds
    /// templates of another model is refused rather than switched (`DefaultModelUpgrade`).
    public static let serviceDefault: FaceModelID = .reidentification0095

    /// How stores compare the model's templates: by direction for both families (the service's
    /// 1:1 compare uses the same `angularDistance`), so a score means the same in Compare, Verify
    /// and Identify.
    public var storeMetric: StoreMetric { .angular }

    /// Length of the model's embedding.
    public var dimension: Int {
        switch self {
        case .dlib: 128
        case .reidentification0095: 256
        }
    }

    /// "a, b" for messages that list the known ids.
    public static var knownIDs: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension StoreOptions {
    /// These options with the metric `model`'s templates are compared by: every store of a model
    /// (local, or a cluster node's cache) is opened through this.
    public func comparing(as model: FaceModelID) -> StoreOptions {
        var options = self
        options.metric = model.storeMetric
        return options
    }
}
