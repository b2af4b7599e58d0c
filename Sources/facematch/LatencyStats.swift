/// Percentiles over a run's latencies (nearest-rank), for the bench table.
struct LatencyStats {
    private let sorted: [Double]

    init(_ samples: [Double]) {
        sorted = samples.sorted()
    }

    var count: Int { sorted.count }

    /// The p-th percentile (0...100) in the samples' unit; nil without samples.
    func percentile(_ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }

    var max: Double? { sorted.last }
}
