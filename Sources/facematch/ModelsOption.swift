import ArgumentParser
import FaceNet
import MatchRPC

/// `--models DIR`, shared by every command that runs the face pipeline.
struct ModelsOption: ParsableArguments {
    @Option(name: .long, help: "Models folder: the three dlib models, yunet/ and face-reidentification-retail-0095/ (default: $FACEMATCH_MODEL_DIR, else ./models).")
    var models: String?

    var directory: String { FaceModels.directory(explicit: models) }

    /// The service's analysis with `model` (the largest face embedded, as `serve` does), on every
    /// core, or fails with the reason (exit 1).
    func analyzer(for model: FaceModelID) throws -> any FaceAnalyzing {
        do {
            switch model {
            case .dlib:
                return try FacePipelineEngine(modelsDirectory: directory, threadsPerWorker: ProcessorCount.available).makeAnalyzer()
            case .reidentification0095:
                return try ReIDEngine(modelsDirectory: directory, threadsPerWorker: ProcessorCount.available).makeAnalyzer()
            }
        } catch {
            throw CLIError(description: "\(error)")
        }
    }

    /// Loads and checks the models and makes a pipeline, or fails with the reason (exit 1).
    func pipeline() throws -> FacePipeline {
        do {
            return try FacePipeline(models: try FaceModels(directory: directory))
        } catch {
            throw CLIError(description: "\(error)")
        }
    }
}

/// A failure reported as `Error: <description>` with exit status 1 (no usage text).
struct CLIError: Error, CustomStringConvertible {
    let description: String
}

extension FaceModelID: ExpressibleByArgument {}

/// `--model ID`, for commands that run one model family in-process.
struct ModelOption: ParsableArguments {
    @Option(name: .customLong("model"),
            help: "The face-model family: \(FaceModelID.allCases.map(\.rawValue).joined(separator: " or ")) (default \(FaceModelID.serviceDefault.rawValue)).")
    var given: FaceModelID?

    /// The model named, else the service's default.
    var model: FaceModelID { given ?? .serviceDefault }
}
