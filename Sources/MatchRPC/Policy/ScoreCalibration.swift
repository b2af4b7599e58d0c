import Foundation

/// How one model's comparisons become a 0–100 score, so that a threshold means the same whatever
/// model computed it: `100 * (tanh((boundary - d) * k) + 1) / 2` on the model's own measure `d`
/// (a distance, or minus a similarity), 50 exactly at the boundary, `k` setting how quickly the
/// score saturates on either side. Every model's constants live in this file.
///
/// The service passes every comparison as a distance by direction, the L2 distance between the
/// embeddings scaled to unit length (`angularDistance`, `StoreMetric.angular`), so cos = 1 - d² / 2.
public struct ScoreCalibration: Sendable, Equatable {
    public enum Measure: String, Sendable {
        /// L2 distance between descriptors; smaller is more alike.
        case euclidean
        /// Cosine similarity between embeddings; larger is more alike.
        case cosine
    }

    public let measure: Measure
    /// The measure's value at score 50.
    public let boundary: Double
    /// Steepness `k` of the tanh per unit of the measure.
    public let steepness: Double

    /// dlib's ResNet on mirror-averaged descriptors compared by direction (d = sqrt(2 - 2 cos),
    /// `FaceModelID.storeMetric`), fitted on LFW's 6,000 pairs (docs/score-calibration.md,
    /// `scripts/lfw-eval.sh`) so that each threshold 30…90 accepts as many different-person pairs
    /// as the earlier mapping on raw L2 distances (centre 0.6, k 7.5) did: a threshold keeps its
    /// FAR across the change while fewer genuine pairs fail (score ≥ 70: FAR 0.10% for both,
    /// FRR 2.8% against 5.0%).
    public static let dlib = ScoreCalibration(measure: .euclidean, boundary: 0.4235, steepness: 13.93)

    /// face-reidentification-retail-0095 (single embedding of the aligned crop, as the service
    /// computes it), fitted on LFW's 6,000 pairs like dlib's (docs/score-calibration.md,
    /// "Per-model calibration"; `scripts/lfw-eval.sh --model face-reidentification-retail-0095`):
    /// on unit-length embeddings (d = sqrt(2 - 2 cos)) the centre 1.229 and k = 7.36 make each
    /// threshold 30…90 accept as many different-person pairs as dlib's mapping does (score ≥ 70:
    /// FAR 0.10% for both; FRR 1.2% against dlib's 2.8%).
    public static let reidentification0095 = ScoreCalibration(measure: .euclidean, boundary: 1.229, steepness: 7.36)

    public static func of(_ model: FaceModelID) -> ScoreCalibration {
        switch model {
        case .dlib: dlib
        case .reidentification0095: reidentification0095
        }
    }

    public init(measure: Measure, boundary: Double, steepness: Double) {
        self.measure = measure
        self.boundary = boundary
        self.steepness = steepness
    }

    /// The score of two embeddings `distance` apart (L2, as the store measures).
    public func score(distance: Double) -> Double {
        let margin = switch measure {
        case .euclidean: boundary - distance
        case .cosine: (1 - distance * distance / 2) - boundary
        }
        return 100 * (tanh(margin * steepness) + 1) / 2
    }

    /// The L2 distance at which the score equals `score` (a minimum score becomes a maximum
    /// distance before searching).
    public func distance(forScore score: Double) -> Double {
        let clamped = min(max(score, 1e-9), 100 - 1e-9)
        let margin = atanh(2 * clamped / 100 - 1) / steepness
        switch measure {
        case .euclidean:
            return boundary - margin
        case .cosine:
            let cosine = min(1, max(-1, boundary + margin))
            return (2 - 2 * cosine).squareRoot()
        }
    }
}
