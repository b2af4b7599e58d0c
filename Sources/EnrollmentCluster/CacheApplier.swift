import EmbeddingStore

/// Makes the local EmbeddingStore's copy of one subject equal to its state in PostgreSQL.
/// Applying a state is idempotent, so a follower that crashed between applying changes and
/// recording its position can apply them again without duplicating a template.
public struct CacheApplier: Sendable {
    public let store: EmbeddingStore
    /// The store's own templates-per-subject limit, which also bounds subjects in PostgreSQL.
    public let maxTemplatesPerSubject: Int

    public init(store: EmbeddingStore, maxTemplatesPerSubject: Int) {
        self.store = store
        self.maxTemplatesPerSubject = maxTemplatesPerSubject
    }

    public enum Step: Equatable {
        case unchanged
        case deleted
        /// The newest templates were appended (the store erasing its oldest beyond the limit).
        case appended(Int)
        /// The subject's templates were replaced by the whole state in one durable batch.
        case replaced
    }

    @discardableResult
    public func apply(_ state: SubjectState) throws(StoreError) -> Step {
        let current = try store.templates(namespace: state.namespace, subject: state.subject)
            .map { StoredTemplate(vector: $0.vector, vendorData: $0.vendorData) }
        let target = state.templates
        if current == target { return .unchanged }
        if target.isEmpty {
            try store.delete(namespace: state.namespace, subject: state.subject)
            return .deleted
        }
        if let count = appendedCount(current: current, target: target) {
            let batch = target.suffix(count).map {
                Enrollment(subject: state.subject, vector: $0.vector, vendorData: $0.vendorData, mode: .append)
            }
            try store.enroll(namespace: state.namespace, batch: batch)
            return .appended(count)
        }
        let batch = target.enumerated().map { i, t in
            Enrollment(subject: state.subject, vector: t.vector, vendorData: t.vendorData, mode: i == 0 ? .replace : .append)
        }
        try store.enroll(namespace: state.namespace, batch: batch)
        return .replaced
    }

    /// How many of the target's newest templates, appended to `current`, give the target (the
    /// store keeping only the newest `maxTemplatesPerSubject`); nil when no append does.
    func appendedCount(current: [StoredTemplate], target: [StoredTemplate]) -> Int? {
        guard !current.isEmpty else { return nil }
        for count in 1...target.count where Array((current + target.suffix(count)).suffix(maxTemplatesPerSubject)) == target {
            return count
        }
        return nil
    }
}
