import ArgumentParser
import EmbeddingStore
import EnrollmentCluster
import Foundation
import FaceNet
import Logging
import MatchRPC
import TemplateCrypto

/// Loads the face engines and opens the enrolment stores for `serve`.
enum ServiceEngine {
    /// Both model families from `directory` (every file checked by size and SHA-256), loaded once
    /// and shared by the workers: any application may name either.
    static func loadEngines(modelsDirectory: String, threadsPerWorker: Int, minimumFaceSize: Int,
                            logger: Logger) throws -> FaceEngines {
        let dlib = try FacePipelineEngine(modelsDirectory: modelsDirectory, threadsPerWorker: threadsPerWorker,
                                          minimumFaceSize: minimumFaceSize)
        let reid = try ReIDEngine(modelsDirectory: modelsDirectory, threadsPerWorker: threadsPerWorker)
        let engines = FaceEngines([.dlib: dlib, .reidentification0095: reid])
        logger.info("models loaded", metadata: ["directory": "\(modelsDirectory)",
                                                "models": "\(engines.models.map(\.rawValue).joined(separator: ","))",
                                                "threads_per_worker": "\(threadsPerWorker)",
                                                "minimum_face_size": "\(minimumFaceSize)"])
        return engines
    }

    /// The master key from `--master-key-file`/`master_key_file`. Without a config file (development
    /// mode) a missing one is created as `DIR/dev-master-key` (0600) beside the development API key;
    /// with a config file or `--postgres` the server refuses to start without one.
    static func masterKey(_ config: ServerConfig, logger: Logger) throws -> MasterKey {
        if let path = config.masterKeyFile {
            let key = try MasterKey.load(from: path)
            logger.info("master key loaded", metadata: ["file": "\(path)", "id": "\(key.id)"])
            return key
        }
        guard config.postgresURL == nil else {
            // A per-node development key would leave every node unable to read the others' keys.
            throw ValidationError("--postgres needs --master-key-file (or the config's master_key_file): the same 32-byte "
                + "key file on every node, e.g. head -c 32 /dev/urandom > master.key && chmod 600 master.key")
        }
        guard config.applications == nil else {
            throw ValidationError("""
                a config file requires --master-key-file (or master_key_file): the enrolment store keeps templates \
                encrypted under it. Create one with: head -c 32 /dev/urandom > FILE && chmod 600 FILE
                """)
        }
        let path = config.dataDirectory + "/" + developmentMasterKeyName
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let key = try MasterKey.loadOrCreate(at: path)
        logger.notice("development mode: master key in \(path) (keep production keys outside the data directory)",
                      metadata: ["id": "\(key.id)"])
        return key
    }

    static let developmentMasterKeyName = "dev-master-key"

    /// With a PostgreSQL URL every model's enrolments live there and the data directory holds this
    /// node's cache of each (one `ClusterNode` per model, `ClusterNode.cacheDirectory`).
    static func openStores(directory: String, postgresURL: String?, masterKey: MasterKey,
                           logger: Logger) async throws -> ModelStores {
        guard let postgresURL else { return try openStores(directory: directory, masterKey: masterKey, logger: logger) }
        var stores: [FaceModelID: any EnrollmentStoring] = [:]
        do {
            for model in FaceModelID.allCases {
                stores[model] = try await ClusterNode.start(url: postgresURL, dataDirectory: directory, model: model,
                                                            masterKey: masterKey, options: StoreOptions(masterKey: masterKey),
                                                            logger: Logger(label: "facematch.cluster"))
            }
        } catch {
            for store in stores.values { try? store.close() }
            throw error
        }
        return ModelStores(stores)
    }

    /// One store per model (`LocalStoreLayout`: dlib's in the data directory itself, beside
    /// `dev-api-key`, the others in models/<id>/), each locked for this process's lifetime (see
    /// `DataDirectoryLock`).
    static func openStores(directory: String, masterKey: MasterKey, logger: Logger) throws -> ModelStores {
        try DataDirectoryLock.holdUntilExit(directory)
        let stores = try LocalStoreLayout.open(dataDirectory: directory, options: StoreOptions(masterKey: masterKey))
        var adapters: [FaceModelID: any EnrollmentStoring] = [:]
        for (model, store) in stores.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if store.directory != directory { try DataDirectoryLock.holdUntilExit(store.directory) }
            for (namespace, report) in store.recoveryReports() where !report.isClean || !report.repairedKeyPages.isEmpty {
                logger.warning("store recovered damaged records", metadata: [
                    "model": "\(model.rawValue)", "namespace": "\(namespace)", "lost_records": "\(report.lostRecords)",
                    "lost_templates": "\(report.lostTemplateSlots.count)",
                    "repaired_key_pages": "\(report.repairedKeyPages.count)"])
            }
            let stats = store.stats()
            logger.info("store open", metadata: ["model": "\(model.rawValue)", "directory": "\(store.directory)",
                                                 "subjects": "\(stats.subjects)", "templates": "\(stats.templates)"])
            adapters[model] = EmbeddingStoreAdapter(store: store)
        }
        return ModelStores(adapters)
    }
}
