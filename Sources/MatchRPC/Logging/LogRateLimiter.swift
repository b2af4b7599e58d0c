/// Decides which of a peer's log lines to write, so that one hostile client cannot fill the
/// disk: per peer, the first `burst` lines of each `window` are written; the rest are only
/// counted, and the count is reported once, with the peer's first line of a later window.
/// I/O-free and clock-free: callers pass the time (nanoseconds on a monotonic clock).
struct LogRateLimiter {
    enum Decision: Equatable {
        /// Write the line; `suppressedBefore` lines of this peer were dropped since the last one written.
        case write(suppressedBefore: Int)
        case suppress
    }

    private struct Window {
        var start: UInt64
        var written: Int
        var suppressed: Int
    }

    let burst: Int
    let window: UInt64
    /// Peers remembered at once; past it, peers whose window ended are forgotten (their
    /// suppressed counts are lost, not their metrics).
    let maxPeers: Int
    private var windows: [String: Window] = [:]

    init(burst: Int = 5, window: UInt64 = 60_000_000_000, maxPeers: Int = 4096) {
        self.burst = burst
        self.window = window
        self.maxPeers = maxPeers
    }

    mutating func decide(peer: String, now: UInt64) -> Decision {
        guard var entry = windows[peer], now &- entry.start < window else {
            let carried = windows[peer]?.suppressed ?? 0
            if windows[peer] == nil, windows.count >= maxPeers { forgetExpired(now: now) }
            windows[peer] = Window(start: now, written: 1, suppressed: 0)
            return .write(suppressedBefore: carried)
        }
        if entry.written < burst {
            entry.written += 1
            let carried = entry.suppressed
            entry.suppressed = 0
            windows[peer] = entry
            return .write(suppressedBefore: carried)
        }
        entry.suppressed += 1
        windows[peer] = entry
        return .suppress
    }

    private mutating func forgetExpired(now: UInt64) {
        windows = windows.filter { now &- $0.value.start < window }
        if windows.count >= maxPeers { windows.removeAll() }
    }
}
