import NIOCore
import Synchronization

/// One running call's deadline, shared by the worker that runs it and the connection that
/// answers it.
///
/// The worker asks `check()` between stages (decode, detect, each face, the store) and stops
/// with DEADLINE_EXCEEDED once the deadline passed. The connection's timer fires at the deadline
/// and calls `expire()`: when that wins, the connection answers DEADLINE_EXCEEDED at once and
/// drops the worker's later answer. A call that writes to the store first claims the write with
/// `beginCommit()`; from then on `expire()` loses and the real answer follows. So a
/// DEADLINE_EXCEEDED answer always means the call changed nothing.
public final class CallDeadline: Sendable {
    private static let running: UInt8 = 0
    private static let expired: UInt8 = 1
    private static let committing: UInt8 = 2

    /// nil: no deadline (only tests and in-process callers; the server always sets one).
    public let deadline: NIODeadline?
    private let state = Atomic<UInt8>(CallDeadline.running)

    public init(_ deadline: NIODeadline?) {
        self.deadline = deadline
    }

    /// A call that may run as long as it takes.
    public static var unbounded: CallDeadline { CallDeadline(nil) }

    /// True once the deadline passed or `expire()` won.
    public var hasExpired: Bool {
        if state.load(ordering: .acquiring) == Self.expired { return true }
        guard let deadline, NIODeadline.now() >= deadline else { return false }
        return expire() || state.load(ordering: .acquiring) == Self.expired
    }

    /// Throws DEADLINE_EXCEEDED once the deadline passed.
    public func check(_ stage: @autoclosure () -> String) throws(ServiceError) {
        if hasExpired { throw .deadlineExceeded("deadline passed \(stage())") }
    }

    /// Claims the call's store write: afterwards the call runs to its end and its answer is the
    /// one the client gets. Throws DEADLINE_EXCEEDED when the deadline already passed.
    public func beginCommit() throws(ServiceError) {
        try check("before the store write")
        let (claimed, _) = state.compareExchange(expected: Self.running, desired: Self.committing,
                                                 ordering: .acquiringAndReleasing)
        if !claimed { throw .deadlineExceeded("deadline passed before the store write") }
    }

    /// Marks the call expired unless it already claimed its store write; true when it did so (the
    /// caller then answers DEADLINE_EXCEEDED itself).
    @discardableResult
    public func expire() -> Bool {
        state.compareExchange(expected: Self.running, desired: Self.expired, ordering: .acquiringAndReleasing).exchanged
    }
}
