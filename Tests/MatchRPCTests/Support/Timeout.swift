import Foundation
import Synchronization

struct TimedOut: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "did not finish within \(seconds) s" }
}

/// Runs `body`, failing with `TimedOut` if it takes longer than `seconds`: a guard so that a broken
/// server fails the test instead of hanging it (not a synchronisation device). A real watchdog:
/// it returns at the limit even when `body` ignores cancellation (a task group would wait for
/// it); `body` is then cancelled and left to end on its own.
func within<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
        let once = ResumeOnce(continuation)
        let work = Task {
            do { once.resume(with: .success(try await body())) } catch { once.resume(with: .failure(error)) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            work.cancel()
            once.resume(with: .failure(TimedOut(seconds: seconds)))
        }
    }
}

/// Resumes a continuation with the first result it is given; later ones are dropped.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Error>?>

    init(_ continuation: CheckedContinuation<T, Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<T, Error>) {
        continuation.withLock { pending in
            defer { pending = nil }
            return pending
        }?.resume(with: result)
    }
}
