import ArgumentParser
import Dispatch
import Foundation
import FaceNet
import Logging
import MatchRPC
import ServiceLifecycle
import UnixSignals

/// `facematch serve`: runs the face-match service until SIGTERM/SIGINT; SIGHUP reloads the
/// config file's applications.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the face-match RPC service (see docs/service.md).")

    @Option(name: .long, help: "JSON config file; without one a development application is created.")
    var config: String?

    @Option(name: .long, help: "Enrolment store directory (default ./facematch-data, or the config's data_dir).")
    var dataDir: String?

    @Option(name: .long, help: "RPC port (default 7470; metrics listen on the config's metrics_port, default 7471).")
    var port: Int?

    @Option(name: .long, help: "Prometheus metrics port (default 7471, or the config's metrics_port; 0 picks a free one).")
    var metricsPort: Int?

    @Option(name: .long, help: "Models folder: the three dlib models, yunet/ and face-reidentification-retail-0095/ (default $FACEMATCH_MODEL_DIR, else ./models).")
    var models: String?

    @Option(name: .long, help: "Calls run at once (default: the config's workers, else cores ÷ threads per worker: one worker on up to 4 cores).")
    var workers: Int?

    @Option(name: .long, help: "Threads one call's inference uses (default: the cores shared out among the set workers, else min(cores, 4)).")
    var threadsPerWorker: Int?

    @Option(name: .long, help: "Smallest face (working-image pixels) to detect; 80 (default) finds every face dlib finds, larger values skip pyramid levels.")
    var minimumFaceSize: Int?

    @Option(name: .long, help: "Refuse calls predicted to take longer than this, queue wait included (default 300; 0: off).")
    var latencyBudgetMs: Int?

    @Option(name: .long, help: "Deadline of a call sent with timeout_ms 0 (default 30000).")
    var defaultTimeoutMs: Int?

    @Option(name: .long, help: "PostgreSQL holding the enrolments, postgres://user[:password]@host[:port]/db[?sslmode=...] (default $FACEMATCH_POSTGRES_URL, or the config's postgres.url); the data directory then holds this node's cache (docs/scaling.md).")
    var postgres: String?

    @OptionGroup var tls: ServeTLSOptions
    @Option(name: .long, help: "File of 32 random bytes (mode 0600) wrapping every template data key (or the config's master_key_file); required with --config and with --postgres (the same file on every node); created in the data directory in development mode.")
    var masterKeyFile: String?
    @Option(name: .long, help: "Development mode only: the development application's model (default \(FaceModelID.serviceDefault.rawValue); \(FaceModelID.dlib.rawValue) keeps dlib). With --config, name it in the config.")
    var model: FaceModelID?
    @Option(name: .long, help: "Development mode only: the model whose templates Verify falls back to while subjects migrate (docs/service.md). Without --model or this, a development store holding dlib templates migrates from dlib.")
    var previousModel: FaceModelID?
    @Option(name: .long, help: "Ed25519 key that signs answers: PEM PKCS#8, mode 0600 (`openssl genpkey -algorithm ed25519`; default: the config's signing_key_file; without a config, DATA_DIR/signing-key.pem, created once).")
    var signingKeyFile: String?

    func validate() throws {
        if let workers, !(1...256).contains(workers) { throw ValidationError("--workers must be 1...256") }
        if let threadsPerWorker, !(1...256).contains(threadsPerWorker) { throw ValidationError("--threads-per-worker must be 1...256") }
        if let minimumFaceSize, !(40...800).contains(minimumFaceSize) { throw ValidationError("--minimum-face-size must be 40...800") }
        if let latencyBudgetMs, !(0...600_000).contains(latencyBudgetMs) { throw ValidationError("--latency-budget-ms must be 0...600000") }
        if let defaultTimeoutMs, !(1...3_600_000).contains(defaultTimeoutMs) { throw ValidationError("--default-timeout-ms must be 1...3600000") }
        if config != nil, model != nil || previousModel != nil {
            throw ValidationError("--model and --previous-model set the development application's models; with --config, name model and previous_model in the config's applications")
        }
        if let previousModel, previousModel == model ?? .serviceDefault {
            throw ValidationError("--previous-model must differ from the model (\(previousModel.rawValue))")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var serveLogger = Logger(label: "facematch.serve")
        serveLogger.logLevel = .info
        let logger = serveLogger

        var serverConfig = try config.map { path throws(ConfigError) in try ConfigLoader.load(path: path) } ?? ServerConfig()
        if let dataDir { serverConfig.dataDirectory = dataDir }
        if let port { serverConfig.port = port }
        if let metricsPort { serverConfig.metricsPort = metricsPort }
        if let models { serverConfig.modelsDirectory = models }
        if let workers { serverConfig.workers = workers }
        if let threadsPerWorker { serverConfig.threadsPerWorker = threadsPerWorker }
        if let latencyBudgetMs { serverConfig.latencyBudgetMilliseconds = latencyBudgetMs }
        if let minimumFaceSize { serverConfig.minimumFaceSize = minimumFaceSize }
        if let defaultTimeoutMs {
            serverConfig.defaultTimeoutMilliseconds = defaultTimeoutMs
            serverConfig.maximumTimeoutMilliseconds = max(serverConfig.maximumTimeoutMilliseconds, defaultTimeoutMs)
        }
        MemoryReturn.configure()
        if let url = postgres ?? ProcessInfo.processInfo.environment["FACEMATCH_POSTGRES_URL"] { serverConfig.postgresURL = url }
        if let masterKeyFile { serverConfig.masterKeyFile = masterKeyFile }
        if let signingKeyFile { serverConfig.signingKeyFile = signingKeyFile }
        let serverTLS = try tls.load(over: serverConfig, logger: logger)

        let listed = try applications(serverConfig, logger: logger)
        let masterKey = try ServiceEngine.masterKey(serverConfig, logger: logger)
        let signingKey = try Self.signingKey(serverConfig, logger: logger)
        // The stores before the models: an application the new default would strand is refused at once.
        let stores = try await ServiceEngine.openStores(directory: serverConfig.dataDirectory,
                                                        postgresURL: serverConfig.postgresURL, masterKey: masterKey,
                                                        logger: logger)
        let applications = try Self.upgradeChecked(listed, configured: config != nil, stores: stores, logger: logger)
        let registry = ApplicationRegistry(applications)
        let modelsDirectory = FaceModels.directory(explicit: serverConfig.modelsDirectory)
        let engines = try ServiceEngine.loadEngines(modelsDirectory: modelsDirectory,
                                                    threadsPerWorker: serverConfig.effectiveThreadsPerWorker,
                                                    minimumFaceSize: serverConfig.minimumFaceSize, logger: logger)
        var settings = ServerSettings(serverConfig)
        settings.tls = serverTLS
        settings.allowsPlaintextOnNetwork = tls.insecurePlaintext
        settings.signingKey = signingKey
        let server = try await MatchServer.start(settings: settings, registry: registry,
                                                 engines: engines, stores: stores, logger: logger)

        let reloader = config.map {
            ConfigReloader(path: $0, registry: registry, logger: logger,
                           check: { applications throws(ConfigError) in try DefaultModelUpgrade.check(applications, stores: stores) })
        }
        var lifecycle = ServiceGroupConfiguration(
            services: [
                .init(service: SignalService(reloader: reloader, tls: serverTLS, logger: logger, forceExit: { _exit(1) })),
                .init(service: MatchServerService(server: server)),
                // After the server: shut down first, so no sweep runs while the store closes.
                .init(service: RetentionSweepService(server: server, registry: registry,
                                                     interval: .seconds(serverConfig.retentionSweepIntervalSeconds))),
            ],
            logger: logger)
        lifecycle.gracefulShutdownSignals = [UnixSignal.sigterm, .sigint]
        // The drain's own grace (connections closed after shutdownGrace) plus the store's close:
        // past this bound the group cancels and the process exits regardless.
        lifecycle.maximumGracefulShutdownDuration = Duration.seconds(Self.shutdownBoundSeconds)
        lifecycle.maximumCancellationDuration = Duration.seconds(5)
        try await ServiceGroup(configuration: lifecycle).run()
    }

    /// Longest a graceful shutdown may take in all (ServerSettings.shutdownGrace is 30 s).
    static let shutdownBoundSeconds: Int64 = 45

    /// The config's applications, or the development application whose key lives in the data directory.
    private func applications(_ config: ServerConfig, logger: Logger) throws -> [Application] {
        if let applications = config.applications {
            guard !applications.isEmpty else {
                throw ValidationError("the config file lists no applications")
            }
            logger.info("applications loaded", metadata: [
                "count": "\(applications.count)",
                "models": "\(Set(applications.flatMap(\.models)).map(\.rawValue).sorted().joined(separator: ","))"])
            return applications
        }
        let dev = try DevelopmentKey.loadOrCreate(directory: config.dataDirectory)
        logger.notice("no --config: development application \"\(DevelopmentKey.applicationID)\"; its API key is in \(dev.path)",
                      metadata: ["created": "\(dev.created)"])
        return [Application(id: DevelopmentKey.applicationID, keyDigest: APIKeyDigest(key: dev.key), model: model,
                            previousModel: previousModel)]
    }

    /// An application without `model` whose namespace holds another model's templates: a config's
    /// is refused (its operator chooses); the development application migrates from that model
    /// instead, with a notice (docs/service.md, "Upgrading from a dlib-only release").
    private static func upgradeChecked(_ applications: [Application], configured: Bool, stores: ModelStores,
                                       logger: Logger) throws -> [Application] {
        if configured {
            try DefaultModelUpgrade.check(applications, stores: stores)
            return applications
        }
        return try applications.map { application in
            let (running, stranded) = try DefaultModelUpgrade.migratingImplicitly(application, stores: stores)
            if let stranded {
                logger.notice("""
                    development application: its store holds \(stranded.templates) \(stranded.model.rawValue) template(s), so it \
                    runs \(running.model.rawValue) with previous_model \(stranded.model.rawValue): each subject migrates when it \
                    verifies (serve --model \(stranded.model.rawValue) keeps the old model)
                    """)
            }
            return running
        }
    }
}
