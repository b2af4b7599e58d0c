/// How a new template relates to a subject's existing ones.
public enum EnrollMode: Sendable, Equatable {
    /// Add the template; when the subject already holds the maximum, its oldest template is erased.
    case append
    /// Erase all of the subject's templates and keep only the new one.
    case replace
}

/// One template to enrol, used by the batch form of `EmbeddingStore.enroll`.
public struct Enrollment: Sendable, Equatable {
    public var subject: String
    public var vector: [Float]
    public var vendorData: [UInt8]
    public var mode: EnrollMode

    public init(subject: String, vector: [Float], vendorData: [UInt8] = [], mode: EnrollMode = .append) {
        self.subject = subject
        self.vector = vector
        self.vendorData = vendorData
        self.mode = mode
    }
}
