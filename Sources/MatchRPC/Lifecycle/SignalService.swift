import Logging
import ServiceLifecycle
import UnixSignals

/// The signals the service group does not handle itself. SIGHUP reloads the config file's
/// applications and the TLS certificates. A second SIGTERM or SIGINT (the group drains gracefully on the first) exits at
/// once, for an operator who will not wait for calls in flight. Listed first in the group, so
/// that it is shut down last and still listens while the server drains.
public struct SignalService: Service {
    public let reloader: ConfigReloader?
    public let tls: ServerTLS?
    public let logger: Logger
    /// Called on the second termination signal: `_exit`, not `exit`, which would run atexit
    /// handlers and C++ destructors under the worker threads still inferring (a SIGBUS, seen).
    /// The store is crash-safe, so nothing acknowledged is lost.
    public let forceExit: @Sendable () -> Void

    public init(reloader: ConfigReloader?, tls: ServerTLS? = nil, logger: Logger,
                forceExit: @escaping @Sendable () -> Void) {
        self.reloader = reloader
        self.tls = tls
        self.logger = logger
        self.forceExit = forceExit
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigterm, .sigint)
        var terminations = 0
        for await signal in signals.cancelOnGracefulShutdown() {
            if signal == .sighup {
                tls?.reload()
                if let reloader { reloader.reload() } else if tls == nil { logger.info("SIGHUP ignored: no config file to reload") }
                continue
            }
            terminations += 1
            if terminations >= 2 {
                logger.warning("second \(signal): exiting without waiting for the calls in flight")
                forceExit()
            }
        }
    }
}
