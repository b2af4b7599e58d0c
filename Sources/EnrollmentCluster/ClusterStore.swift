import EmbeddingStore
import Foundation
import Logging
import MatchRPC
import PostgresNIO

/// `EnrollmentStoring` of one model with PostgreSQL as the system of record (that model's rows)
/// and the local EmbeddingStore as this node's cache of them. Enroll and Delete commit to PostgreSQL first (one transaction each, in the
/// `facematch_enroll`/`facematch_delete` functions) and answer after COMMIT, once this node's
/// follower has applied the change (read-your-writes). Verify, Identify and counts read the cache.
/// While PostgreSQL cannot be reached, reads go on and writes answer UNAVAILABLE with a retry hint.
public final class ClusterStore: EnrollmentStoring {
    public let cache: EmbeddingStore
    public let state: FollowerState
    let client: PostgresClient
    private let reads: EmbeddingStoreAdapter
    private let doorbell: Doorbell
    private let maxTemplates: Int
    private let sealing: TemplateSealing
    private let background: [Task<Void, Never>]
    private let logger: Logger

    /// A write waits this long for PostgreSQL before answering UNAVAILABLE.
    static let writeTimeout: Duration = .seconds(3)
    /// And then this long for its change to reach this node's cache.
    static let applyTimeout: TimeInterval = 2
    static let retryAfterMillis: UInt32 = 1000
    /// A retention erasure may remove a large backlog in its one transaction.
    static let eraseTimeout: Duration = .seconds(120)

    init(cache: EmbeddingStore, state: FollowerState, client: PostgresClient, doorbell: Doorbell, maxTemplates: Int,
         sealing: TemplateSealing, background: [Task<Void, Never>], logger: Logger) {
        self.sealing = sealing
        self.cache = cache
        self.state = state
        self.client = client
        self.reads = EmbeddingStoreAdapter(store: cache)
        self.doorbell = doorbell
        self.maxTemplates = maxTemplates
        self.background = background
        self.logger = logger
    }

    public func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8],
                       mode: EnrollmentMode) throws -> Int {
        try check(namespace: namespace, Enrollment(subject: subject, vector: vector, vendorData: vendorData))
        let client = self.client, logger = self.logger, maxTemplates = self.maxTemplates, sealing = self.sealing
        let (position, templates) = try write {
            try await ClusterQueries.enroll(namespace: namespace, subject: subject, vector: vector, vendorData: vendorData,
                                            replace: mode == .replace, maxTemplates: maxTemplates, sealing: sealing,
                                            client: client, logger: logger)
        }
        awaitApplied(position)
        return templates
    }

    public func delete(namespace: String, subject: String) throws -> Bool {
        try MatchService.checkSubject(subject)
        let client = self.client, logger = self.logger, model = sealing.modelID
        guard let position = try write({
            try await ClusterQueries.delete(namespace: namespace, subject: subject, model: model, client: client, logger: logger)
        }) else { return false }
        awaitApplied(position)
        return true
    }

    /// Retention: erased in PostgreSQL first (templates, data keys of subjects left with none, and
    /// a fresh data key for subjects that keep templates: `RetentionErasure`), then, through the
    /// feed, in every node's cache; returns once this node's cache has it.
    public func eraseTemplates(namespace: String, enrolledBefore cutoff: Date) throws -> Int {
        let client = self.client, logger = self.logger, sealing = self.sealing
        let (erased, position) = try write(timeout: Self.eraseTimeout) {
            try await RetentionErasure.erase(namespace: namespace, before: cutoff, sealing: sealing, client: client, logger: logger)
        }
        if let position { awaitApplied(position) }
        return erased
    }

    public func bestDistance(namespace: String, subject: String, vector: [Float]) throws -> Double? {
        try reads.bestDistance(namespace: namespace, subject: subject, vector: vector)
    }

    public func enrollmentCount(namespace: String, subject: String) throws -> Int {
        try reads.enrollmentCount(namespace: namespace, subject: subject)
    }

    public func search(namespace: String, vector: [Float], topK: Int, maxDistance: Double) throws -> [StoreHit] {
        try reads.search(namespace: namespace, vector: vector, topK: topK, maxDistance: maxDistance)
    }

    public func stats(namespace: String?) throws -> EnrollmentStats {
        try reads.stats(namespace: namespace)
    }

    public var replication: ReplicationStatus? { state.status }

    /// From the cache, which holds every subject of the model (counts subjects waiting for a migration).
    public func subjectIDs(namespace: String) throws -> Set<String>? {
        try reads.subjectIDs(namespace: namespace)
    }

    /// Stops the follower and the connection pool; the cache is durable after every batch.
    public func close() throws {
        for task in background { task.cancel() }
    }

    /// Refuses, before anything reaches PostgreSQL, what the cache could never apply (a vector of
    /// another model's dimension among it).
    private func check(namespace: String, _ enrollment: Enrollment) throws {
        do {
            try cache.check(namespace: namespace, enrollment)
        } catch .vectorLength(let expected, let found) {
            throw ServiceError.invalidArgument(ClusterError.dimensionMismatch(
                model: sealing.modelID, subject: "\(namespace)/\(enrollment.subject)", expected: expected, found: found).description)
        } catch {
            throw ServiceError.invalidArgument(error.description)
        }
    }

    private func write<T: Sendable>(timeout: Duration = ClusterStore.writeTimeout, _ work: @escaping @Sendable () async throws -> T) throws -> T {
        guard state.isReachable else {
            throw ServiceError.unavailable("enrolment database unreachable; reads continue from this node's cache",
                                           retryAfterMillis: Self.retryAfterMillis)
        }
        do {
            return try blockingAwait(timeout: timeout, onTimeout: ClusterError.unavailable("no answer within \(timeout)"), work)
        } catch where !PostgresFailure.isTransient(error) {
            logger.error("enrolment database refused a write", metadata: ["error": "\(Self.describe(error))"])
            throw ServiceError.internalError("enrolment database refused the write")
        } catch {
            logger.warning("enrolment write failed", metadata: ["error": "\(Self.describe(error))"])
            doorbell.ring()
            throw ServiceError.unavailable("enrolment database unavailable (\(Self.describe(error))); the write may be retried",
                                           retryAfterMillis: Self.retryAfterMillis)
        }
    }

    private func awaitApplied(_ position: Int64) {
        doorbell.ring()
        if !state.waitApplied(position, timeout: Self.applyTimeout) {
            logger.warning("write committed but not yet in this node's cache", metadata: ["position": "\(position)"])
        }
    }

    /// A PostgreSQL error without the query text (which holds bound values) for logs.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return "server: \(message)" }
            return "\(error.code)"
        }
        return String(describing: error)
    }
}
