import ArgumentParser
import FaceNet

/// `--models DIR`, shared by every command that runs the face pipeline.
struct ModelsOption: ParsableArguments {
    @Option(name: .long, help: "Models folder: the three dlib models, yunet/ and face-reidentification-retail-0095/ (default: $FACEMATCH_MODEL_DIR, else ./models).")
    var models: String?

    var directory: String { FaceModels.directory(explicit: models) }

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
