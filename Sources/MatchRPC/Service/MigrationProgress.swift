import NIOConcurrencyHelpers
import NIOCore

/// How many of an application's subjects still wait for a template of its `model` (they hold
/// templates of its `previous_model` only), for Health and metrics. Counting lists both stores'
/// subjects of the namespace, so a count is kept for `maxAge`, or until a write to the namespace
/// (`invalidate`), and recomputed on the next ask.
public final class MigrationProgress: Sendable {
    public static let defaultMaxAge = TimeAmount.seconds(5)

    private let stores: ModelStores
    private let maxAge: TimeAmount
    /// Per namespace, the count for one (model, previous model) pair.
    private let counts = NIOLockedValueBox<[String: (pair: String, count: Int?, at: NIODeadline)]>([:])

    public init(stores: ModelStores, maxAge: TimeAmount = MigrationProgress.defaultMaxAge) {
        self.stores = stores
        self.maxAge = maxAge
    }

    /// nil when the application has no `previous_model` or its stores cannot list subjects.
    public func waitingSubjects(_ application: Application) -> Int? {
        guard let previous = application.previousModel else { return nil }
        let pair = "\(application.model.rawValue) \(previous.rawValue)"
        let now = NIODeadline.now()
        if let cached = counts.withLockedValue({ $0[application.namespace] }), cached.pair == pair, now - cached.at < maxAge {
            return cached.count
        }
        let count = try? stores.waitingSubjects(namespace: application.namespace, current: application.model,
                                                previous: previous)
        counts.withLockedValue { $0[application.namespace] = (pair, count, now) }
        return count
    }

    /// Forgets the namespace's count (after an enrolment, a migration or a delete).
    func invalidate(namespace: String) {
        _ = counts.withLockedValue { $0.removeValue(forKey: namespace) }
    }
}
