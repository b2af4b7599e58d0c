import EmbeddingStore
import Logging
import MatchRPC

/// Loads the face engine and opens the enrolment store for `serve`.
enum ServiceEngine {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    static func loadEngine(modelsDirectory: String, logger: Logger) throws -> any FaceAnalyzerFactory {
        throw Unavailable(description: "the face engine is not linked into this build yet")
    }

    /// The store lives directly in the data directory (beside `dev-api-key`).
    static func openStore(directory: String, modelID: String, logger: Logger) throws -> any EnrollmentStoring {
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
