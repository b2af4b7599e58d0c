import FaceNet

/// The face-match report returned by Compare and Verify, independent of the wire format.
public struct MatchReport: Sendable {
    public var status: MatchStatus
    /// 0–100; see `ScoreCalibration`.
    public var score: Double
    /// L2 distance between the embeddings (for 0095, between unit-length embeddings:
    /// sqrt(2 - 2 cos)); nil when either side has no usable face.
    public var distance: Double?
    public var warnings: [MatchWarning]
    public var sourceFace: AnalyzedFace?
    public var targetFace: AnalyzedFace?
    /// The model whose embeddings gave the score (reported as the call's model_id).
    public var model: FaceModelID

    public init(status: MatchStatus, score: Double, distance: Double?, warnings: [MatchWarning],
                sourceFace: AnalyzedFace?, targetFace: AnalyzedFace?, model: FaceModelID = .serviceDefault) {
        self.status = status
        self.score = score
        self.distance = distance
        self.warnings = warnings
        self.sourceFace = sourceFace
        self.targetFace = targetFace
        self.model = model
    }
}

public enum MatchStatus: String, Sendable, CaseIterable {
    case approved = "Approved"
    case inReview = "In Review"
    case declined = "Declined"
}
