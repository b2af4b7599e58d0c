import Dispatch
import Foundation

/// Turns POSIX signals into calls on a dispatch queue (SIGTERM/SIGINT → graceful shutdown,
/// SIGHUP → config reload). The signals' default actions are disabled while watched.
public final class SignalWatcher: @unchecked Sendable {
    // Dispatch sources are thread-safe; they are only created here and cancelled in `cancel`.
    private let sources: [DispatchSourceSignal]

    public init(signals: [Int32], queue: DispatchQueue = DispatchQueue(label: "facematch.signals"),
                handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    public func cancel() {
        sources.forEach { $0.cancel() }
    }
}
