/// How a store compares a query with its templates. Either way a distance is an L2 distance and
/// smaller means more alike; the choice only says which vectors it is measured between.
public enum StoreMetric: Sendable, Equatable {
    /// Between the vectors as enrolled.
    case euclidean
    /// Between the vectors scaled to unit length, sqrt(2 - 2 cos): only their directions count.
    /// Templates stay as enrolled, on disk and in memory; the unit-length scale lives in the
    /// in-memory sketch data, so a store can be opened with either metric.
    case angular
}
