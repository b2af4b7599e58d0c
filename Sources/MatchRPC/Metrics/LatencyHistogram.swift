/// A Prometheus histogram: cumulative counts per upper bound, plus sum and count.
public struct LatencyHistogram: Sendable, Equatable {
    public static let defaultBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public let bounds: [Double]
    /// counts[i] counts observations <= bounds[i] but > bounds[i-1]; the last slot is +Inf.
    public private(set) var counts: [UInt64]
    public private(set) var sum: Double = 0
    public private(set) var count: UInt64 = 0

    public init(bounds: [Double] = LatencyHistogram.defaultBounds) {
        self.bounds = bounds
        counts = [UInt64](repeating: 0, count: bounds.count + 1)
    }

    public mutating func observe(_ seconds: Double) {
        let slot = bounds.firstIndex(where: { seconds <= $0 }) ?? bounds.count
        counts[slot] += 1
        sum += seconds
        count += 1
    }

    /// Cumulative counts aligned with `bounds` followed by +Inf, as Prometheus exposes them.
    public var cumulative: [UInt64] {
        var running: UInt64 = 0
        return counts.map { running += $0; return running }
    }
}
