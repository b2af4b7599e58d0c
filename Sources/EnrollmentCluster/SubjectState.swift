/// One template as PostgreSQL holds it: the vector and the caller's vendor_data.
public struct StoredTemplate: Sendable, Equatable {
    public var vector: [Float]
    public var vendorData: [UInt8]

    public init(vector: [Float], vendorData: [UInt8]) {
        self.vector = vector
        self.vendorData = vendorData
    }
}

/// A subject's whole enrolment in the system of record, oldest template first; no templates
/// means the subject is not enrolled (deleted).
public struct SubjectState: Sendable, Equatable {
    public var namespace: String
    public var subject: String
    public var templates: [StoredTemplate]

    public init(namespace: String, subject: String, templates: [StoredTemplate]) {
        self.namespace = namespace
        self.subject = subject
        self.templates = templates
    }
}

/// One entry of the change feed as a follower reads it: the position, when it committed, and the
/// touched subject's state as of the read (never older than the change itself).
public struct FeedChange: Sendable, Equatable {
    public var position: Int64
    /// Seconds since 1970 at commit, by PostgreSQL's clock.
    public var committedAt: Double
    public var state: SubjectState

    public init(position: Int64, committedAt: Double, state: SubjectState) {
        self.position = position
        self.committedAt = committedAt
        self.state = state
    }
}
