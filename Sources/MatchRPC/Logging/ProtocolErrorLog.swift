import Logging
import NIOCore
import Synchronization

/// Where connections report protocol errors (malformed frames, slow senders, bad envelopes):
/// every one is counted in the metrics; lines are written at most `LogRateLimiter.burst` per
/// peer address a minute, then one line saying how many were left out.
final class ProtocolErrorLog: Sendable {
    private let limiter: Mutex<LogRateLimiter>
    private let logger: Logger
    private let metrics: MetricsRegistry

    init(logger: Logger, metrics: MetricsRegistry, limiter: LogRateLimiter = LogRateLimiter()) {
        self.logger = logger
        self.metrics = metrics
        self.limiter = Mutex(limiter)
    }

    /// - Parameters:
    ///   - kind: a fixed label (the metric's `kind`), never client input.
    ///   - detail: what went wrong, without image or embedding bytes.
    ///   - closes: whether the connection closes for it (once its calls in flight are answered).
    func report(kind: String, detail: String, peer: String, closes: Bool) {
        metrics.recordProtocolError(kind: kind)
        let now = NIODeadline.now().uptimeNanoseconds
        switch limiter.withLock({ $0.decide(peer: peer, now: now) }) {
        case .suppress:
            return
        case .write(let suppressed):
            var metadata: Logger.Metadata = ["peer": "\(peer)", "kind": "\(kind)", "error": "\(detail)"]
            if suppressed > 0 { metadata["suppressed_since_last"] = "\(suppressed)" }
            logger.info(closes ? "protocol error: answering the calls in flight, then closing" : "protocol error: call refused",
                        metadata: metadata)
        }
    }
}
