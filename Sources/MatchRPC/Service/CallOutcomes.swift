import FaceNet

/// The result of Enroll. An image without a face is not an error: `enrolled` is false and the
/// warnings say NO_FACE_DETECTED (the same rule as for reports).
public struct EnrollOutcome: Sendable {
    public var enrolled: Bool
    /// The face that was enrolled (the largest one).
    public var face: AnalyzedFace?
    public var facesDetected: Int
    /// Descriptors the subject has after this call.
    public var enrollmentCount: Int
    public var warnings: [MatchWarning]
}

public struct IdentifyCandidate: Sendable, Equatable {
    public var subject: String
    public var score: Double
    public var distance: Double
}

/// The result of Identify: the probe face and the closest subjects at or above `min_score`.
public struct IdentifyOutcome: Sendable {
    public var candidates: [IdentifyCandidate]
    public var face: AnalyzedFace?
    public var warnings: [MatchWarning]
}
