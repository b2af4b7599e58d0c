import FaceNet

/// The face-match report returned by Compare and Verify, independent of the wire format.
public struct MatchReport: Sendable {
    public var status: MatchStatus
    /// 0–100; see `SimilarityScore`.
    public var score: Double
    /// L2 distance between the descriptors; nil when either side has no usable face.
    public var distance: Double?
    public var warnings: [MatchWarning]
    public var sourceFace: AnalyzedFace?
    public var targetFace: AnalyzedFace?

    public init(status: MatchStatus, score: Double, distance: Double?, warnings: [MatchWarning],
                sourceFace: AnalyzedFace?, targetFace: AnalyzedFace?) {
        self.status = status
        self.score = score
        self.distance = distance
        self.warnings = warnings
        self.sourceFace = sourceFace
        self.targetFace = targetFace
    }
}

public enum MatchStatus: String, Sendable, CaseIterable {
    case approved = "Approved"
    case inReview = "In Review"
    case declined = "Declined"
}
