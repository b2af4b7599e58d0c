/// One subject found by a 1:N search: its best (smallest) Euclidean distance over its templates.
public struct SearchHit: Sendable, Equatable {
    public var subject: String
    /// Euclidean (L2) distance in Float32 between the query and the subject's closest template.
    public var distance: Float

    public init(subject: String, distance: Float) {
        self.subject = subject
        self.distance = distance
    }
}
