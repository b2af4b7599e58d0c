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

    static func openStore(directory: String, modelID: String, logger: Logger) throws -> any EnrollmentStoring {
        throw Unavailable(description: "the enrolment store is not linked into this build yet")
    }
}
