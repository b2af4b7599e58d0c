import NIOConcurrencyHelpers

/// Wakes the follower: a ring is remembered until the next `wait`, which otherwise returns after
/// its timeout (the follower also polls, in case a notification was lost with a connection).
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = NIOLockedValueBox(State())

    func ring() {
        let waiter = state.withLockedValue { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next ring (or at once for one since the last wait), or after `timeout`.
    func wait(upTo timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            self.ring()
            await group.waitForAll()
            self.state.withLockedValue { $0.rung = false }
        }
    }

    private func waitForRing() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLockedValue { s -> Bool in
                if s.rung {
                    s.rung = false
                    return true
                }
                s.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
