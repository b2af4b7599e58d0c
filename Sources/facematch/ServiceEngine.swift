import EmbeddingStore
import ArgumentParser
import EnrollmentCluster
import FaceNet
import Logging
import MatchRPC
import TemplateCrypto

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

    /// With a PostgreSQL URL the enrolments live there, sealed under data keys that the master key
    /// wraps (every node needs the same key file), and the data directory holds this node's cache.
    static func openStore(directory: String, postgresURL: String?, masterKeyFile: String?, modelID: String,
                          logger: Logger) async throws -> any EnrollmentStoring {
        guard let postgresURL else { return try openStore(directory: directory, modelID: modelID, logger: logger) }
        guard let masterKeyFile else {
            throw ValidationError("--postgres needs --master-key-file (or the config's master_key_file): the same 32-byte "
                + "key file on every node, e.g. head -c 32 /dev/urandom > master.key && chmod 600 master.key")
        }
        return try await ClusterNode.start(url: postgresURL, dataDirectory: directory, modelID: modelID,
                                           masterKey: try MasterKey.load(from: masterKeyFile),
                                           logger: Logger(label: "facematch.cluster"))
    }

    /// The store lives directly in the data directory (beside `dev-api-key`), locked for this
    /// process's lifetime (see `DataDirectoryLock`).
    static func openStore(directory: String, modelID: String, logger: Logger) throws -> any EnrollmentStoring {
        try DataDirectoryLock.holdUntilExit(directory)
        let store = try EmbeddingStore.open(directory: directory, dimension: 128, modelID: modelID)
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
