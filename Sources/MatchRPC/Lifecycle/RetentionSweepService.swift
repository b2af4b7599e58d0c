import Foundation
import ServiceLifecycle

/// Runs the retention sweep at start and then every `interval` until the group shuts down.
/// A sweep runs on its own thread: store erasures block (PostgreSQL round trips, file syncs) and
/// must not hold a thread of Swift's small cooperative pool.
public struct RetentionSweepService: Service {
    let sweep: RetentionSweep
    let interval: Duration
    let clock: @Sendable () -> Date

    public init(server: MatchServer, registry: ApplicationRegistry, interval: Duration,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.sweep = RetentionSweep(stores: server.stores, registry: registry, metrics: server.metrics,
                                    logger: server.logger)
        self.interval = interval
        self.clock = clock
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let sweep = self.sweep, now = clock()
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread {
                    sweep.run(now: now)
                    done.resume()
                }.start()
            }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
