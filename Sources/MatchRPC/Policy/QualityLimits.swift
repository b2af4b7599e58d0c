import FaceNet

/// Where a face's quality measures (`FaceQuality`) start to make its descriptor unreliable:
/// FACE_TOO_SMALL below `minimumEyeDistance`, LOW_QUALITY (one warning naming every reason) past
/// any other limit. The defaults come from LFW (docs/score-calibration.md, "Quality warnings").
public struct QualityLimits: Sendable, Equatable {
    /// Eye-centre distance in original pixels. The detector's smallest box (80 px) holds eyes
    /// about 35 px apart on a frontal face, so this fires on small or turned faces it still finds.
    public var minimumEyeDistance: Double
    /// Variance of the Laplacian over the face in the chip.
    public var minimumSharpness: Double
    /// Mean grey level over the face.
    public var brightness: ClosedRange<Double>
    /// Largest fraction of face pixels clipped to black or to white.
    public var maximumClippedFraction: Double
    /// Degrees either way.
    public var maximumYaw: Double
    public var maximumRoll: Double
    /// Largest fraction of the face square outside the image.
    public var maximumOutsideFraction: Double

    public static let `default` = QualityLimits(
        minimumEyeDistance: 32, minimumSharpness: 10, brightness: 60...220, maximumClippedFraction: 0.25,
        maximumYaw: 30, maximumRoll: 20, maximumOutsideFraction: 0.05)

    public init(minimumEyeDistance: Double, minimumSharpness: Double, brightness: ClosedRange<Double>,
                maximumClippedFraction: Double, maximumYaw: Double, maximumRoll: Double, maximumOutsideFraction: Double) {
        self.minimumEyeDistance = minimumEyeDistance
        self.minimumSharpness = minimumSharpness
        self.brightness = brightness
        self.maximumClippedFraction = maximumClippedFraction
        self.maximumYaw = maximumYaw
        self.maximumRoll = maximumRoll
        self.maximumOutsideFraction = maximumOutsideFraction
    }

    /// FACE_TOO_SMALL and LOW_QUALITY for the face used from `image` ("source", "reference",
    /// "enrolment"); none for a face without measures.
    public func warnings(for face: AnalyzedFace, image: String) -> [MatchWarning] {
        guard let q = face.quality else { return [] }
        var warnings: [MatchWarning] = []
        if q.eyeDistance < minimumEyeDistance {
            warnings.append(.faceTooSmall(eyeDistance: q.eyeDistance, minimum: minimumEyeDistance, image: image))
        }
        let reasons = lowQualityReasons(q)
        if !reasons.isEmpty { warnings.append(.lowQuality(reasons: reasons, image: image)) }
        return warnings
    }

    /// Why the face is of low quality, in words a caller can act on.
    func lowQualityReasons(_ q: FaceQuality) -> [String] {
        var reasons: [String] = []
        if q.sharpness < minimumSharpness {
            reasons.append("blurred (sharpness \(Self.rounded(q.sharpness)), below \(Self.rounded(minimumSharpness)))")
        }
        if q.brightness < brightness.lowerBound || q.darkFraction > maximumClippedFraction {
            reasons.append("under-exposed (mean brightness \(Self.rounded(q.brightness)) of 255)")
        } else if q.brightness > brightness.upperBound || q.brightFraction > maximumClippedFraction {
            reasons.append("over-exposed (mean brightness \(Self.rounded(q.brightness)) of 255)")
        }
        if abs(q.yawDegrees) > maximumYaw {
            reasons.append("head turned sideways (about \(Self.rounded(abs(q.yawDegrees)))°, above \(Self.rounded(maximumYaw))°)")
        }
        if abs(q.rollDegrees) > maximumRoll {
            reasons.append("head tilted (\(Self.rounded(abs(q.rollDegrees)))°, above \(Self.rounded(maximumRoll))°)")
        }
        if q.outsideFraction > maximumOutsideFraction {
            reasons.append("face cut by the image border (\(Self.rounded(q.outsideFraction * 100))% outside)")
        }
        return reasons
    }

    private static func rounded(_ v: Double) -> Int { Int(v.rounded()) }
}
