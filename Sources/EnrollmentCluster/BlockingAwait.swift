import Dispatch
import NIOConcurrencyHelpers

/// Runs async work from a synchronous caller (a service worker thread, never an event loop),
/// giving up after `timeout`: the work is then cancelled and `onTimeout` thrown.
func blockingAwait<T: Sendable>(timeout: Duration, onTimeout: @autoclosure () -> any Error,
                                _ work: @escaping @Sendable () async throws -> T) throws -> T {
    let result = NIOLockedValueBox<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    let task = Task {
        let outcome: Result<T, any Error>
        do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
        result.withLockedValue { $0 = outcome }
        done.signal()
    }
    let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
    if done.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
        task.cancel()
        throw onTimeout()
    }
    return try result.withLockedValue { $0! }.get()
}
