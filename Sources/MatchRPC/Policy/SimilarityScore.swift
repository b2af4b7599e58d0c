import Foundation

/// Maps a descriptor distance to a 0–100 similarity score:
/// `100 * (tanh((0.6 - d) * k) + 1) / 2`. At d = 0.6, dlib's own same/different boundary, the
/// score is exactly 50; `k` sets how quickly the score saturates on either side.
public enum SimilarityScore {
    /// Fitted on LFW's 6,000 pairs with the service's mirror-averaged descriptors
    /// (docs/score-calibration.md): 95% of different-person pairs score ≤ 25 for k ≥ 7.41, while
    /// k ≤ 7.66 keeps d = 0.3 below 99 (and approval at FAR ≤ 1e-3, the review band ≥ 0.05 wide).
    /// 7.5 is the middle of that window: score ≥ 70 is FAR 0.1%, FRR 5.1% on LFW.
    public static let steepness = 7.5

    public static func score(distance: Double, steepness k: Double = steepness) -> Double {
        100 * (tanh((0.6 - distance) * k) + 1) / 2
    }

    /// The distance at which the score equals `score` (for turning a minimum score into a maximum
    /// distance before searching).
    public static func distance(forScore score: Double, steepness k: Double = steepness) -> Double {
        let clamped = min(max(score, 1e-9), 100 - 1e-9)
        return 0.6 - atanh(2 * clamped / 100 - 1) / k
    }
}
