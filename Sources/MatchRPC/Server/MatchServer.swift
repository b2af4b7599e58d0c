import FaceNet
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The face-match server: a TCP listener speaking Wire frames, a worker pool for engine and store
/// work, and a Prometheus listener. `shutdown()` is graceful: stop accepting, answer every
/// admitted call, close connections, then close the store.
public final class MatchServer: Sendable {
    private struct Channels {
        var listener: Channel?
        var metricsListener: Channel?
        var connections: [ObjectIdentifier: Channel] = [:]
        var shutdownStarted = false
        var finishing = false
    }

    public let settings: ServerSettings
    let metrics: MetricsRegistry
    /// The models loaded (every one an application may name).
    public let models: [FaceModelID]
    private let group: EventLoopGroup
    private let ownsGroup: Bool
    private let pool: WorkerPool
    let stores: ModelStores
    private let dispatcher: RPCDispatcher
    private let protocolErrors: ProtocolErrorLog
    let logger: Logger
    private let channels: NIOLockedValueBox<Channels>
    private let closed = NIOLockedValueBox<(done: Bool, waiters: [UInt64: CheckedContinuation<Void, Never>])>((false, [:]))

    /// Starts the workers (each makes its analyzers) and both listeners. Every model the
    /// registry's applications use needs an engine and a store.
    public static func start(settings: ServerSettings, registry: ApplicationRegistry, engines: FaceEngines,
                             stores: ModelStores, logger: Logger,
                             group: EventLoopGroup? = nil) async throws -> MatchServer {
        try PlaintextListenPolicy.check(host: settings.host, tls: settings.tls != nil,
                                        allowPlaintext: settings.allowsPlaintextOnNetwork)
        let server = MatchServer(settings: settings, registry: registry, engines: engines, stores: stores, logger: logger,
                                 group: group)
        try server.pool.start()
        do {
            try await server.bind()
        } catch {
            await server.pool.shutdown()
            if server.ownsGroup { try? await server.group.shutdownGracefully() }
            throw error
        }
        return server
    }

    private init(settings: ServerSettings, registry: ApplicationRegistry, engines: FaceEngines,
                 stores: ModelStores, logger: Logger, group: EventLoopGroup?) {
        self.settings = settings
        self.models = engines.models
        // One event loop per core: reading frames and refusing excess calls must not queue behind one thread.
        self.group = group ?? MultiThreadedEventLoopGroup(numberOfThreads: ProcessorCount.available)
        self.ownsGroup = group == nil
        self.stores = stores
        self.logger = logger
        let pool = WorkerPool(engines: engines, workers: settings.workers, capacity: settings.queueCapacity,
                              latencyBudget: settings.latencyBudget.map { UInt64(max(0, $0.nanoseconds)) })
        let channels = NIOLockedValueBox(Channels())
        self.pool = pool
        self.channels = channels
        let service = MatchService(stores: stores)
        self.dispatcher = RPCDispatcher(registry: registry, service: service,
                                        isServing: { !channels.withLockedValue { $0.shutdownStarted } }, logger: logger,
                                        signingKey: settings.signingKey)
        self.metrics = MetricsRegistry(gauges: {
            let (waiting, running) = pool.snapshot
            let open = channels.withLockedValue { $0.connections.count }
            var gauges: [MetricsRegistry.Gauge] = [
                .init(name: "facematch_queue_depth", help: "Calls waiting for a worker.", value: Double(waiting)),
                .init(name: "facematch_calls_running", help: "Calls running on a worker.", value: Double(running)),
                .init(name: "facematch_in_flight", help: "Admitted calls not yet answered.", value: Double(waiting + running)),
                .init(name: "facematch_connections", help: "Open client connections.", value: Double(open)),
            ]
            if let stats = stores.totalStats() {
                gauges += [
                    .init(name: "facematch_store_subjects", help: "Enrolled subjects, all applications.", value: Double(stats.subjects)),
                    .init(name: "facematch_store_vectors", help: "Enrolled descriptors, all applications.", value: Double(stats.vectors)),
                    .init(name: "facematch_store_bytes", help: "Bytes used by the enrolment store.", value: Double(stats.bytes)),
                ]
            }
            for application in registry.all {
                guard let waiting = service.migration.waitingSubjects(application) else { continue }
                gauges.append(.init(name: "facematch_model_migration_waiting_subjects",
                                    help: "Subjects holding templates of the application's previous_model only.",
                                    value: Double(waiting), labels: [("application", application.id)]))
            }
            if let replication = stores.replication {
                gauges += [
                    .init(name: "facematch_store_degraded", help: "1 while the system of record is unreachable (writes refused).",
                          value: replication.degraded ? 1 : 0),
                    .init(name: "facematch_store_replication_lag_seconds", help: "Commit-to-apply delay of the last change applied.",
                          value: replication.lagSeconds),
                    .init(name: "facematch_store_changes_behind", help: "Changes committed but not yet applied to this node's cache.",
                          value: Double(max(0, replication.headPosition - replication.appliedPosition))),
                ]
            }
            return gauges
        })
        self.protocolErrors = ProtocolErrorLog(logger: logger, metrics: metrics)
    }

    /// The port the RPC listener is bound to (useful when started with port 0).
    public var port: Int { channels.withLockedValue { $0.listener?.localAddress?.port } ?? settings.port }
    public var metricsPort: Int? { channels.withLockedValue { $0.metricsListener?.localAddress?.port } }

    /// Calls waiting for a worker and calls running.
    public var queueSnapshot: (waiting: Int, running: Int) { pool.snapshot }

    /// Completes when shutdown has finished, or when the calling task is cancelled.
    public func waitUntilClosed() async {
        let token = UInt64.random(in: .min ... .max)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = closed.withLockedValue { state -> Bool in
                    if !state.done && !Task.isCancelled { state.waiters[token] = continuation }
                    return state.done || Task.isCancelled
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            closed.withLockedValue { $0.waiters.removeValue(forKey: token) }?.resume()
        }
    }

    private func bind() async throws {
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // A client's half-close means "no more requests": its answers still go out.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [self] channel in
                accept(channel)
            }
            .bind(host: settings.host, port: settings.port).get()
        channels.withLockedValue { $0.listener = listener }
        logger.info("listening", metadata: ["address": "\(settings.host):\(port)", "tls": "\(tlsMode)", "workers": "\(settings.workers)",
                                            "queue_capacity": "\(settings.queueCapacity)",
                                            "latency_budget_ms": "\(settings.latencyBudget.map { String($0.nanoseconds / 1_000_000) } ?? "off")", "models": "\(models.map(\.rawValue).joined(separator: ","))"])
        guard let metricsPort = settings.metricsPort else { return }
        let metrics = self.metrics
        let metricsListener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [tls = settings.tls] channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.addTLS(tls, to: channel.pipeline.syncOperations, protocolErrors: nil)
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(registry: metrics))
                }
            }
            .bind(host: settings.host, port: metricsPort).get()
        channels.withLockedValue { $0.metricsListener = metricsListener }
        logger.info("metrics listening", metadata: ["address": "\(settings.host):\(self.metricsPort ?? metricsPort)"])
    }

    private func accept(_ channel: Channel) -> EventLoopFuture<Void> {
        let id = ObjectIdentifier(channel)
        let admitted = channels.withLockedValue { state -> Bool in
            guard !state.shutdownStarted else { return false }
            state.connections[id] = channel
            return true
        }
        guard admitted else { return channel.close() }
        channel.closeFuture.whenComplete { [channels] _ in
            _ = channels.withLockedValue { $0.connections.removeValue(forKey: id) }
        }
        return channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try Self.addTLS(settings.tls, to: pipeline, protocolErrors: protocolErrors)
            try pipeline.addHandler(SlowSenderHandler(frameTimeout: settings.frameTimeout))
            try pipeline.addHandler(IdleStateHandler(allTimeout: settings.idleTimeout))
            try WireCallCodec.addServerHandlers(
                to: pipeline, maxFrameBytes: settings.maxFrameBytes,
                timeouts: DeadlinePolicy(defaultTimeout: settings.defaultTimeout, maximumTimeout: settings.maximumTimeout))
            try pipeline.addHandler(RPCConnectionHandler(dispatcher: dispatcher, pool: pool, metrics: metrics,
                                                         protocolErrors: protocolErrors, logger: logger))
        }
    }

    /// The TLS handler first, with the context in force now (a reload affects new connections only).
    private static func addTLS(_ tls: ServerTLS?, to pipeline: ChannelPipeline.SynchronousOperations,
                               protocolErrors: ProtocolErrorLog?) throws {
        guard let tls else { return }
        try pipeline.addHandler(NIOSSLServerHandler(context: tls.current))
        try pipeline.addHandler(TLSErrorReporter(protocolErrors: protocolErrors))
    }

    private var tlsMode: String {
        guard let tls = settings.tls else { return "off" }
        return tls.requiresClientCertificate ? "1.3, client certificates required" : "1.3"
    }

    /// First half of a graceful shutdown: the listener closes and new calls on open connections
    /// are refused with UNAVAILABLE; admitted calls keep running. Idempotent.
    public func stopAccepting() async {
        let (first, listener) = channels.withLockedValue { state -> (Bool, Channel?) in
            defer { state.shutdownStarted = true }
            return (!state.shutdownStarted, state.listener)
        }
        guard first else { return }
        logger.info("shutting down: no new connections; finishing calls in flight")
        pool.beginShutdown()
        try? await listener?.close()
    }

    /// Graceful shutdown: stop accepting, answer every admitted call, close the connections, then
    /// close the store. Safe to call more than once (later calls wait for the first).
    public func shutdown() async {
        await stopAccepting()
        let first = channels.withLockedValue { state -> Bool in
            defer { state.finishing = true }
            return !state.finishing
        }
        guard first else { return await waitUntilClosed() }
        await pool.shutdown()
        let connections = channels.withLockedValue { Array($0.connections.values) }
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(ServerEvent.drain)
        }
        await closeAll(connections, within: settings.shutdownGrace)
        let metricsListener = channels.withLockedValue { $0.metricsListener }
        try? await metricsListener?.close()
        do {
            try stores.close()
            logger.info("store closed")
        } catch {
            logger.error("store did not close cleanly", metadata: ["error": "\(error)"])
        }
        if ownsGroup { try? await group.shutdownGracefully() }
        let waiters = closed.withLockedValue { state in
            state.done = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.values.forEach { $0.resume() }
        logger.info("shut down")
    }

    private func closeAll(_ connections: [Channel], within grace: TimeAmount) async {
        let loop = group.next()
        let all = EventLoopFuture.andAllComplete(connections.map(\.closeFuture), on: loop)
        let timer = loop.scheduleTask(in: grace) {
            for connection in connections { connection.close(promise: nil) }
        }
        try? await all.get()
        timer.cancel()
    }
}
