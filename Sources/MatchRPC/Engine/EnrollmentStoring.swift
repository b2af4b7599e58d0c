/// The enrolment store as the service needs it. Every operation is scoped to a namespace (the
/// application id), so one application can never see another's enrolments.
public protocol EnrollmentStoring: Sendable {
    /// Adds (or, with `.replace`, replaces all of the subject's vectors with) one descriptor;
    /// returns how many descriptors the subject now has.
    func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8],
                mode: EnrollmentMode) throws -> Int
    /// The smallest L2 distance between `vector` and the subject's descriptors; nil when the
    /// subject has no enrolment.
    func bestDistance(namespace: String, subject: String, vector: [Float]) throws -> Double?
    /// How many descriptors the subject has (0 when not enrolled).
    func enrollmentCount(namespace: String, subject: String) throws -> Int
    /// Nearest subjects (one hit per subject, its best distance), closest first.
    func search(namespace: String, vector: [Float], topK: Int, maxDistance: Double) throws -> [StoreHit]
    /// Removes the subject; false when it had no enrolment.
    func delete(namespace: String, subject: String) throws -> Bool
    func stats(namespace: String?) throws -> EnrollmentStats
    /// Flushes and closes; called once at shutdown after the last call finished.
    func close() throws
}

public enum EnrollmentMode: Sendable, Equatable {
    case append
    case replace
}

public struct StoreHit: Sendable, Equatable {
    public var subject: String
    public var distance: Double

    public init(subject: String, distance: Double) {
        self.subject = subject
        self.distance = distance
    }
}

public struct EnrollmentStats: Sendable, Equatable {
    public var subjects: Int
    public var vectors: Int
    public var bytes: Int

    public init(subjects: Int, vectors: Int, bytes: Int) {
        self.subjects = subjects
        self.vectors = vectors
        self.bytes = bytes
    }
}

/// A store failure the service reports as DATA_LOSS (corrupt files) rather than INTERNAL.
public enum StoreFailure: Error, Equatable {
    case corrupt(String)
}
