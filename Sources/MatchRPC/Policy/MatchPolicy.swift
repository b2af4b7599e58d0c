import FaceNet

/// An application's decision thresholds: below `decline` the report is Declined, below `review`
/// it is In Review, otherwise Approved.
public struct Thresholds: Sendable, Equatable {
    public var review: Double
    public var decline: Double

    public static let `default` = Thresholds(review: 70, decline: 50)

    public init(review: Double, decline: Double) {
        self.review = review
        self.decline = decline
    }
}

/// Turns two analysed images (or an image and a stored enrolment) into a report.
public struct MatchPolicy: Sendable {
    public var thresholds: Thresholds
    /// What FACE_TOO_SMALL, LOW_QUALITY and MULTIPLE_FACES_DETECTED do to the status.
    public var riskActions: RiskActions
    /// When a face gets FACE_TOO_SMALL or LOW_QUALITY.
    public var quality: QualityLimits
    /// The model whose embeddings are compared; its `ScoreCalibration` turns distances into scores.
    public var model: FaceModelID

    public init(thresholds: Thresholds = .default, riskActions: RiskActions = .default, quality: QualityLimits = .default,
                model: FaceModelID = .serviceDefault) {
        self.thresholds = thresholds
        self.riskActions = riskActions
        self.quality = quality
        self.model = model
    }

    /// The policy an application configured, comparing `model`'s embeddings (the application's
    /// own model unless a migration decides with its previous one).
    public init(application: Application, model: FaceModelID? = nil) {
        self.init(thresholds: application.thresholds, riskActions: application.riskActions,
                  model: model ?? application.model)
    }

    public func status(forScore score: Double) -> MatchStatus {
        if score < thresholds.decline { return .declined }
        if score < thresholds.review { return .inReview }
        return .approved
    }

    /// Compare: the source (live) image against a reference image.
    public func compare(source: FaceAnalysis, target: FaceAnalysis) -> MatchReport {
        var warnings: [MatchWarning] = []
        let sourceFace = primaryFace(of: source, named: "source", warnings: &warnings)
        let targetFace = primaryFace(of: target, named: "reference", warnings: &warnings)
        return decide(sourceFace: sourceFace, targetFace: targetFace,
                      distance: sourceFace.flatMap { s in targetFace.map { angularDistance(s.embedding, $0.embedding) } },
                      warnings: warnings)
    }

    /// Verify: the source image against a subject's enrolled descriptors (best match wins).
    /// `bestDistance` is nil when the subject has no enrolment.
    public func verify(source: FaceAnalysis, bestDistance: Double?) -> MatchReport {
        var warnings: [MatchWarning] = []
        let sourceFace = primaryFace(of: source, named: "source", warnings: &warnings)
        return decide(sourceFace: sourceFace, targetFace: nil, hasReference: bestDistance != nil,
                      distance: sourceFace == nil ? nil : bestDistance, warnings: warnings)
    }

    private func decide(sourceFace: AnalyzedFace?, targetFace: AnalyzedFace?, hasReference: Bool? = nil,
                        distance: Double?, warnings: [MatchWarning]) -> MatchReport {
        var warnings = warnings
        let referenceUsable = hasReference ?? (targetFace != nil)
        if sourceFace == nil { warnings.insert(.noFaceDetected, at: 0) }
        if !referenceUsable { warnings.insert(.noReferenceImage, at: 0) }
        guard let distance, sourceFace != nil, referenceUsable else {
            return MatchReport(status: .declined, score: 0, distance: nil, warnings: warnings,
                               sourceFace: sourceFace, targetFace: targetFace, model: model)
        }
        let score = ScoreCalibration.of(model).score(distance: distance)
        let scoreStatus = status(forScore: score)
        if scoreStatus != .approved {
            warnings.insert(.lowSimilarity(score: score, threshold: thresholds.review), at: 0)
        }
        let status = riskActions.status(scoreStatus, warnings: warnings)
        return MatchReport(status: status, score: score, distance: distance, warnings: warnings,
                           sourceFace: sourceFace, targetFace: targetFace, model: model)
    }

    /// The largest face, with the warnings its image deserves.
    private func primaryFace(of analysis: FaceAnalysis, named name: String,
                             warnings: inout [MatchWarning]) -> AnalyzedFace? {
        guard let face = analysis.faces.first else { return nil }
        if analysis.faces.count > 1 {
            warnings.append(.multipleFaces(analysis.faces.count, image: name))
        }
        warnings += quality.warnings(for: face, image: name)
        return face
    }
}
