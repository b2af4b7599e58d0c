import EmbeddingStore
import Foundation
import Logging
import MatchRPC
import PostgresNIO
import TemplateCrypto

/// Starts a node's store of one model: applies the schema migrations, checks the cluster's
/// identity and that the master key wraps the database's data keys, encrypts the model's templates
/// left in plaintext by migration 1 (`PlaintextMigration`), opens the model's cache (rebuilding it
/// from PostgreSQL when it is missing, damaged, of another cluster or ahead of the database), then
/// starts its follower. A node serving several models starts one per model: each has its own cache,
/// follower and position, so a model's cache can be rebuilt without touching the others.
public enum ClusterNode {
    /// The model's cache directory inside the node's data directory: `cluster-cache` beside the
    /// model's local store (`LocalStoreLayout`), so dlib's stays where it was before migration 3.
    public static func cacheDirectory(dataDirectory: String, model: FaceModelID) -> String {
        LocalStoreLayout.directory(for: model, dataDirectory: dataDirectory) + "/cluster-cache"
    }

    public static func start(url: String, dataDirectory: String, model: FaceModelID, masterKey: MasterKey,
                             options: StoreOptions, logger: Logger) async throws -> ClusterStore {
        let options = options.comparing(as: model)
        let parsed = try PostgresURL(url)
        let sealing = TemplateSealing(masterKey: masterKey, model: model)
        let modelID = model.rawValue
        let cacheDirectory = cacheDirectory(dataDirectory: dataDirectory, model: model)
        try FileManager.default.createDirectory(atPath: LocalStoreLayout.directory(for: model, dataDirectory: dataDirectory),
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        logger.info("connecting to the enrolment database", metadata: ["url": "\(parsed.redacted)", "model": "\(modelID)"])

        let start: (clusterID: String, position: Int64, head: Int64, reachable: Bool)
        var checkedIdentity = false
        do {
            let (identity, position) = try await prepared(parsed, sealing: sealing, logger: logger) {
                connection, identity -> (ClusterQueries.Identity, Int64) in
                checkedIdentity = true
                guard let reason = rebuildReason(cacheDirectory: cacheDirectory, identity: identity, model: model,
                                                 options: options) else {
                    return (identity, CacheMarker.read(directory: cacheDirectory)!.position)
                }
                logger.notice("rebuilding the cache from PostgreSQL", metadata: ["reason": "\(reason)", "model": "\(modelID)"])
                let outcome = try await CacheRebuild.rebuild(directory: cacheDirectory, clusterID: identity.clusterID,
                                                             options: options, sealing: sealing, on: connection, logger: logger)
                logger.notice("cache rebuilt", metadata: ["model": "\(modelID)", "templates": "\(outcome.templates)",
                                                          "position": "\(outcome.position)",
                                                          "seconds": "\(String(format: "%.2f", outcome.seconds))"])
                return (identity, outcome.position)
            }
            start = (identity.clusterID, position, identity.head, true)
        } catch where PostgresFailure.isTransient(error) && !checkedIdentity {
            // High availability: a node restarted during an outage serves reads from an intact cache
            // (not when the database was reached and found the cache unusable).
            guard let marker = CacheMarker.read(directory: cacheDirectory),
                  storeProblem(cacheDirectory: cacheDirectory, model: model, options: options) == nil else { throw error }
            logger.warning("PostgreSQL unreachable at start: serving reads from the cache, refusing writes until it answers",
                           metadata: ["position": "\(marker.position)", "error": "\(ClusterStore.describe(error))"])
            start = (marker.clusterID, marker.position, marker.position, false)
        }

        let cache = try EmbeddingStore.open(directory: cacheDirectory, dimension: model.dimension, modelID: modelID,
                                            options: options)
        let state = FollowerState(appliedPosition: start.position, headPosition: start.head, reachable: start.reachable)
        let doorbell = Doorbell()
        let client = PostgresClient(configuration: parsed.clientConfiguration, backgroundLogger: logger)
        let follower = FeedFollower(configuration: try parsed.connectionConfiguration(),
                                    applier: CacheApplier(store: cache, maxTemplatesPerSubject: options.maxTemplatesPerSubject),
                                    sealing: sealing, cacheDirectory: cacheDirectory, clusterID: start.clusterID, state: state,
                                    doorbell: doorbell, logger: logger)
        let tasks = [Task { await client.run() }, Task { await follower.run() }]
        logger.info("cluster cache open", metadata: ["model": "\(modelID)", "cluster": "\(start.clusterID)", "position": "\(start.position)",
                                                     "head": "\(start.head)", "directory": "\(cacheDirectory)"])
        return ClusterStore(cache: cache, state: state, client: client, doorbell: doorbell,
                            maxTemplates: options.maxTemplatesPerSubject, sealing: sealing, background: tasks, logger: logger)
    }

    /// Rebuilds the node's cache of `model` from PostgreSQL now (the node must not be running); for
    /// benchmarks and operators. Returns the templates copied and the seconds it took.
    public static func rebuildCache(url: String, dataDirectory: String, model: FaceModelID, masterKey: MasterKey,
                                    options: StoreOptions, logger: Logger) async throws -> (templates: Int, seconds: Double) {
        let options = options.comparing(as: model)
        let parsed = try PostgresURL(url)
        let sealing = TemplateSealing(masterKey: masterKey, model: model)
        return try await prepared(parsed, sealing: sealing, logger: logger) { connection, identity in
            let outcome = try await CacheRebuild.rebuild(directory: cacheDirectory(dataDirectory: dataDirectory, model: model),
                                                         clusterID: identity.clusterID, options: options,
                                                         sealing: sealing, on: connection, logger: logger)
            return (outcome.templates, outcome.seconds)
        }
    }

    /// Runs `body` on a connection after the migrations, with the data keys checked against the
    /// node's master key and none of the model's templates left in plaintext.
    private static func prepared<T>(_ url: PostgresURL, sealing: TemplateSealing, logger: Logger,
                                    _ body: (PostgresConnection, ClusterQueries.Identity) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
        do {
            let applied = try await Migrations.apply(on: connection, logger: logger)
            if !applied.isEmpty { logger.notice("schema migrations applied", metadata: ["versions": "\(applied)"]) }
            let identity = try await ClusterQueries.identity(on: connection, logger: logger)
            try await MasterKeyRotation.checkNodeKey(sealing.masterKey, on: connection, logger: logger)
            let encrypted = try await PlaintextMigration.run(sealing: sealing, on: connection, logger: logger)
            if encrypted > 0 { logger.notice("plaintext templates encrypted", metadata: ["templates": "\(encrypted)"]) }
            let result = try await body(connection, identity)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Why the cache cannot be used as it is; nil when it can.
    static func rebuildReason(cacheDirectory: String, identity: ClusterQueries.Identity, model: FaceModelID,
                              options: StoreOptions) -> String? {
        guard let marker = CacheMarker.read(directory: cacheDirectory) else { return "no readable cache marker" }
        guard marker.clusterID == identity.clusterID else { return "cache of another cluster (\(marker.clusterID))" }
        guard marker.position <= identity.head else {
            return "cache at position \(marker.position), ahead of the database's \(identity.head)"
        }
        return storeProblem(cacheDirectory: cacheDirectory, model: model, options: options)
    }

    /// Why the cache's store cannot serve; nil when it opens without damage.
    static func storeProblem(cacheDirectory: String, model: FaceModelID, options: StoreOptions) -> String? {
        do {
            let store = try EmbeddingStore.open(directory: cacheDirectory, dimension: model.dimension, modelID: model.rawValue,
                                                options: options)
            if let (namespace, _) = store.recoveryReports().first(where: { !$0.value.isClean }) {
                return "damaged records in namespace \(namespace)"
            }
        } catch {
            return "store does not open: \(error)"
        }
        return nil
    }
}
