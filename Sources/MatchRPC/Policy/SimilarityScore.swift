import Foundation

/// Maps a descriptor distance to a 0–100 similarity score:
/// `100 * (tanh((0.6 - d) * k) + 1) / 2`. At d = 0.6, dlib's own same/different boundary, the
/// score is exactly 50; `k` sets how quickly the score saturates on either side.
public enum SimilarityScore {
    /// Chosen on the fixtures' labelled pairs (docs/score-calibration.md): the hardest same-person
    /// pair (d = 0.445) scores ≥ 85 and the closest different-person pair (d = 0.811) ≤ 10 for
    /// k ≥ 5.6, while k ≤ 7.7 keeps d = 0.3 below 99 and the In Review band (score 50–70, here
    /// d 0.535–0.6) wider than 0.05. 6.5 is the middle of that window.
    public static let steepness = 6.5

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
