import Foundation
import MatchRPC

/// What the follower has applied and whether PostgreSQL answers, shared with the writers (which
/// wait here until their own change is in the cache) and with metrics.
public final class FollowerState: @unchecked Sendable {
    private let condition = NSCondition()
    private var applied: Int64
    private var head: Int64
    private var lagSeconds = 0.0
    private var reachable = true
    /// Commit-to-apply delays of the most recent changes, for benchmarks (a ring of `lagCapacity`).
    private var lags: [Double] = []
    private var nextLag = 0
    static let lagCapacity = 100_000

    public init(appliedPosition: Int64, headPosition: Int64, reachable: Bool = true) {
        self.applied = appliedPosition
        self.head = max(headPosition, appliedPosition)
        self.reachable = reachable
    }

    public var appliedPosition: Int64 { condition.withLock { applied } }

    /// False from a failed PostgreSQL round trip until the next successful one.
    public var isReachable: Bool { condition.withLock { reachable } }

    public var status: ReplicationStatus {
        condition.withLock {
            ReplicationStatus(degraded: !reachable, appliedPosition: applied, headPosition: head, lagSeconds: lagSeconds)
        }
    }

    /// Seconds from commit to application of the most recent changes applied here, oldest first.
    public var recentLags: [Double] {
        condition.withLock { lags.count < Self.lagCapacity ? lags : Array(lags[nextLag...] + lags[..<nextLag]) }
    }

    /// - Parameter lags: commit-to-apply delay of each change in the batch, in position order.
    func applied(upTo position: Int64, lags batch: [Double]) {
        condition.withLock {
            applied = max(applied, position)
            head = max(head, applied)
            for lag in batch {
                if lags.count < Self.lagCapacity { lags.append(lag) } else { lags[nextLag] = lag }
                nextLag = (nextLag + 1) % Self.lagCapacity
            }
            if let last = batch.last { lagSeconds = max(0, last) }
            reachable = true
            condition.broadcast()
        }
    }

    func caughtUp() {
        condition.withLock {
            head = applied
            lagSeconds = 0
            reachable = true
        }
    }

    func sawHead(_ position: Int64) {
        condition.withLock { head = max(head, position) }
    }

    /// Returns true when the state changed from reachable (worth one log line).
    @discardableResult
    func unreachable() -> Bool {
        condition.withLock {
            let changed = reachable
            reachable = false
            return changed
        }
    }

    /// Blocks the calling (worker) thread until `position` is applied or `timeout` passes.
    func waitApplied(_ position: Int64, timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return condition.withLock {
            while applied < position {
                if !condition.wait(until: deadline) { return applied >= position }
            }
            return true
        }
    }
}
