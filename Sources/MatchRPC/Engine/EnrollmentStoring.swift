import Foundation

/// The enrolment store as the service needs it. Every operation is scoped to a namespace (the
/// application id), so one application can never see another's enrolments. Implementations
/// throw `ServiceError` for what a caller should see (INVALID_ARGUMENT, DATA_LOSS for corrupt
/// files, UNAVAILABLE); any other error is reported as INTERNAL.
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
    /// Erases the namespace's templates enrolled before `cutoff` (retention) as Delete erases:
    /// a subject left without templates loses its data key too. Returns the templates erased.
    func eraseTemplates(namespace: String, enrolledBefore cutoff: Date) throws -> Int
    /// Flushes and closes; called once at shutdown after the last call finished.
    func close() throws
    /// How far this node's copy follows a shared system of record; nil for a store that is its own.
    var replication: ReplicationStatus? { get }
    /// Every subject of the namespace (counting subjects still waiting for a model migration);
    /// nil when the store cannot list them.
    func subjectIDs(namespace: String) throws -> Set<String>?
}

extension EnrollmentStoring {
    public var replication: ReplicationStatus? { nil }
    public func subjectIDs(namespace: String) throws -> Set<String>? { nil }
}

/// A replicated store's state, for metrics and logs.
public struct ReplicationStatus: Sendable, Equatable {
    /// The system of record is unreachable: reads answer from the local copy, writes are refused.
    public var degraded: Bool
    /// Last change applied to the local copy and the newest one seen in the system of record.
    public var appliedPosition: Int64
    public var headPosition: Int64
    /// Seconds between a change's commit and its application here (the most recent one applied).
    public var lagSeconds: Double

    public init(degraded: Bool, appliedPosition: Int64, headPosition: Int64, lagSeconds: Double) {
        self.degraded = degraded
        self.appliedPosition = appliedPosition
        self.headPosition = headPosition
        self.lagSeconds = lagSeconds
    }
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

