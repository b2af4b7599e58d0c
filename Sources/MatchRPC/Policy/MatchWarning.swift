/// One finding attached to a report: what the risk is, how serious, and how to explain it.
public struct MatchWarning: Sendable, Equatable {
    public var risk: Risk
    public var logType: LogType
    public var shortDescription: String
    public var longDescription: String

    public init(risk: Risk, logType: LogType, shortDescription: String, longDescription: String) {
        self.risk = risk
        self.logType = logType
        self.shortDescription = shortDescription
        self.longDescription = longDescription
    }
}

public enum LogType: String, Sendable, CaseIterable {
    case information
    case warning
    case error
}

public enum Risk: String, Sendable, CaseIterable {
    case noReferenceImage = "NO_REFERENCE_IMAGE"
    case lowFaceMatchSimilarity = "LOW_FACE_MATCH_SIMILARITY"
    case noFaceDetected = "NO_FACE_DETECTED"
    case multipleFacesDetected = "MULTIPLE_FACES_DETECTED"
    case faceTooSmall = "FACE_TOO_SMALL"
    case lowQuality = "LOW_QUALITY"
    /// Information: Verify decided with the previous model's templates and enrolled the
    /// application's model from this image (docs/service.md, "Changing an application's model").
    case templateMigrated = "TEMPLATE_MIGRATED"
}

extension MatchWarning {
    static let noFaceDetected = MatchWarning(
        risk: .noFaceDetected, logType: .error,
        shortDescription: "No face detected",
        longDescription: "No face was found in the source image, so it cannot be compared. Ask for a new photo with the face clearly visible, facing the camera.")

    static let noReferenceImage = MatchWarning(
        risk: .noReferenceImage, logType: .error,
        shortDescription: "No reference face",
        longDescription: "There is no usable reference face to compare against: the reference image has no detectable face, or the subject has no enrolment.")

    static func multipleFaces(_ count: Int, image: String) -> MatchWarning {
        MatchWarning(
            risk: .multipleFacesDetected, logType: .information,
            shortDescription: "Multiple faces detected",
            longDescription: "\(count) faces were found in the \(image) image; the largest one was used.")
    }

    static func faceTooSmall(eyeDistance: Double, minimum: Double, image: String) -> MatchWarning {
        MatchWarning(
            risk: .faceTooSmall, logType: .warning,
            shortDescription: "Face too small",
            longDescription: "The eyes in the \(image) image are \(Int(eyeDistance.rounded())) px apart, below the \(Int(minimum)) px at which matching is reliable; the result may be less accurate. Ask for a closer or higher-resolution photo.")
    }

    static func lowQuality(reasons: [String], image: String) -> MatchWarning {
        MatchWarning(
            risk: .lowQuality, logType: .warning,
            shortDescription: "Low image quality",
            longDescription: "The face in the \(image) image is \(reasons.joined(separator: ", ")); the result may be less accurate. Ask for a sharp, evenly lit photo of the whole face, looking at the camera.")
    }

    static func templateMigrated(from previous: FaceModelID, to model: FaceModelID) -> MatchWarning {
        MatchWarning(
            risk: .templateMigrated, logType: .information,
            shortDescription: "Template migrated",
            longDescription: "The subject had no \(model.rawValue) template: it was verified against its \(previous.rawValue) templates, and a \(model.rawValue) template was enrolled from this image.")
    }

    static func lowSimilarity(score: Double, threshold: Double) -> MatchWarning {
        MatchWarning(
            risk: .lowFaceMatchSimilarity, logType: .warning,
            shortDescription: "Low face match similarity",
            longDescription: "The faces match with a similarity of \(Int(score.rounded(.down))) out of 100, below the \(Int(threshold)) this application requires for approval.")
    }
}
