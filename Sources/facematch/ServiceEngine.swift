import ArgumentParser
import EmbeddingStore
import EnrollmentCluster
import Foundation
import FaceNet
import Logging
import MatchRPC

/// Loads the face engine and opens the enrolment store for `serve`.
enum ServiceEngine {
    /// The three dlib models from `directory` (checked by size and SHA-256), shared by the workers.
    static func loadEngine(modelsDirectory: String, threadsPerWorker: Int, minimumFaceSize: Int,
                           logger: Logger) throws -> any FaceAnalyzerFactory {
        let engine = try FacePipelineEngine(modelsDirectory: modelsDirectory, threadsPerWorker: threadsPerWorker,
                                            minimumFaceSize: minimumFaceSize)
        logger.info("models loaded", metadata: ["directory": "\(modelsDirectory)", "model": "\(engine.modelID)",
                                                "threads_per_worker": "\(threadsPerWorker)",
                                                "minimum_face_size": "\(minimumFaceSize)"])
        return engine
    }

    /// The master key from `--master-key-file`/`master_key_file`. Without a config file (development
    /// mode) a missing one is created as `DIR/dev-master-key` (0600) beside the development API key;
    /// with a config file the server refuses to start without one.
    static func masterKey(_ config: ServerConfig, logger: Logger) throws -> MasterKey {
        if let path = config.masterKeyFile {
            let key = try MasterKey.load(from: path)
            logger.info("master key loaded", metadata: ["file": "\(path)", "id": "\(key.id)"])
            return key
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

    /// With a PostgreSQL URL the enrolments live there and the data directory holds this node's cache.
    static func openStore(directory: String, postgresURL: String?, modelID: String, masterKey: MasterKey,
                          logger: Logger) async throws -> any EnrollmentStoring {
        guard let postgresURL else { return try openStore(directory: directory, modelID: modelID, masterKey: masterKey, logger: logger) }
        return try await ClusterNode.start(url: postgresURL, dataDirectory: directory, modelID: modelID,
                                           options: StoreOptions(masterKey: masterKey), logger: Logger(label: "facematch.cluster"))
    }

    /// The store lives directly in the data directory (beside `dev-api-key`), locked for this
    /// process's lifetime (see `DataDirectoryLock`).
    static func openStore(directory: String, modelID: String, masterKey: MasterKey, logger: Logger) throws -> any EnrollmentStoring {
        try DataDirectoryLock.holdUntilExit(directory)
        let store = try EmbeddingStore.open(directory: directory, dimension: 128, modelID: modelID,
                                            options: StoreOptions(masterKey: masterKey))
        for (namespace, report) in store.recoveryReports() where !report.isClean {
            logger.warning("store recovered damaged records", metadata: [
                "namespace": "\(namespace)", "lost_records": "\(report.lostRecords)",
                "lost_templates": "\(report.lostTemplateSlots.count)"])
        }
        let stats = store.stats()
        logger.info("store open", metadata: ["directory": "\(directory)", "subjects": "\(stats.subjects)",
                                             "templates": "\(stats.templates)"])
        return EmbeddingStoreAdapter(store: store)
    }
}
