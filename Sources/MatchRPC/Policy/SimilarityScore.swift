import Foundation

/// Maps a descriptor distance to a 0–100 similarity score:
/// `100 * (tanh((0.6 - d) * k) + 1) / 2`. At d = 0.6, dlib's own same/different boundary, the
/// score is exactly 50; `k` sets how quickly the score saturates on either side.
public enum SimilarityScore {
    /// Fitted on labelled pairs; see README ("Score calibration").
    public static let steepness = 8.0

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
