/// The enrolment store of each model: templates of different models are never compared, so each
/// model keeps its own store (a subject may be enrolled in several). Deletes erase the subject
/// from all of them.
public struct ModelStores: Sendable {
    let stores: [FaceModelID: any EnrollmentStoring]

    public init(_ stores: [FaceModelID: any EnrollmentStoring]) {
        self.stores = stores
    }

    public var models: [FaceModelID] { FaceModelID.allCases.filter { stores[$0] != nil } }

    /// Every model's store, in `FaceModelID` order.
    var all: [(FaceModelID, any EnrollmentStoring)] { models.map { ($0, stores[$0]!) } }

    /// The model's store; INTERNAL when this server has none (refused at start-up).
    public func store(for model: FaceModelID) throws(ServiceError) -> any EnrollmentStoring {
        guard let store = stores[model] else { throw .internalError("no enrolment store for model \(model.rawValue)") }
        return store
    }

    /// Totals over every model's store (metrics).
    func totalStats() -> EnrollmentStats? {
        var total = EnrollmentStats(subjects: 0, vectors: 0, bytes: 0)
        var any = false
        for (_, store) in all {
            guard let s = try? store.stats(namespace: nil) else { continue }
            any = true
            total.subjects += s.subjects
            total.vectors += s.vectors
            total.bytes += s.bytes
        }
        return any ? total : nil
    }

    /// The replication state of the store furthest from its system of record (a --postgres server
    /// follows PostgreSQL once per model): a degraded one first, then the most changes behind,
    /// then the largest lag.
    var replication: ReplicationStatus? {
        all.compactMap { $0.1.replication }.max { a, b in
            (a.degraded ? 1 : 0, a.headPosition - a.appliedPosition, a.lagSeconds)
                < (b.degraded ? 1 : 0, b.headPosition - b.appliedPosition, b.lagSeconds)
        }
    }

    /// Subjects of `namespace` enrolled with `previous` but not yet with `current`; nil when a
    /// store cannot list its subjects.
    func waitingSubjects(namespace: String, current: FaceModelID, previous: FaceModelID) throws -> Int? {
        guard let old = try store(for: previous).subjectIDs(namespace: namespace),
              let new = try store(for: current).subjectIDs(namespace: namespace) else { return nil }
        return old.subtracting(new).count
    }

    /// Closes every store (shutdown).
    func close() throws {
        for (_, store) in all { try store.close() }
    }
}
