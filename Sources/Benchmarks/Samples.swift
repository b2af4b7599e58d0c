/// Timings (or any measurements) of one benchmark row: the median and nearest-rank percentiles
/// every benchmark reports.
public struct Samples: Sendable {
    public let sorted: [Double]

    public init(_ values: [Double]) {
        sorted = values.sorted()
    }

    public var count: Int { sorted.count }
    public var isEmpty: Bool { sorted.isEmpty }

    /// The middle value (the mean of the two middle ones for an even count); NaN without samples.
    public var median: Double {
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The p-th percentile (0...100) by nearest rank; nil without samples.
    public func percentile(_ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }

    public var min: Double? { sorted.first }
    public var max: Double? { sorted.last }
}
