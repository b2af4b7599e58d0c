import ArgumentParser
import FaceNet
import Foundation
import MatchRPC

/// `facematch compare SOURCE TARGET`: the 1:1 face-match report, computed in this process.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare the largest face of SOURCE (the live photo) with that of TARGET (the reference).",
        discussion: """
            Prints the report as JSON, the same with or without --server: status (Approved, In \
            Review, Declined; in-process under the default thresholds: decline below 50, review \
            below 70), score 0-100 (calibrated per model), distance, warnings (risk, log_type, \
            short_description, long_description), both faces (box, confidence, landmarks), \
            vendor_data and call (the server's request id, model and time; null in-process). \
            In-process, --model picks the model family; a server uses its application's model. \
            Exits 1 with {"error": …} when an image cannot be read or decoded.
            """)

    @OptionGroup var models: ModelsOption

    @OptionGroup var modelOption: ModelOption

    @Argument(help: "The live image.")
    var source: String

    @Argument(help: "The reference image.")
    var target: String

    /// With --server the comparison runs on that server instead (see RemoteCompare).
    @OptionGroup var remote: RemoteOptions

    func validate() throws {
        if remote.server != nil, modelOption.given != nil {
            throw ValidationError("--model runs in-process; a server compares with its application's model")
        }
    }

    func run() async throws {
        if remote.server != nil {
            return try await RemoteCompare.run(source: source, target: target, remote: remote)
        }
        let model = modelOption.model
        let analyzer = try models.analyzer(for: model)
        let analyses = try [source, target].map { file in
            let bytes = try ImageFile.input(file)
            do {
                return try analyzer.analyze(imageBytes: bytes)
            } catch {
                throw CLIOutput.fail(code: 3, name: "INVALID_ARGUMENT", message: "\(file): \(error)")
            }
        }
        CLIOutput.print(Output.Report(MatchPolicy(model: model).compare(source: analyses[0], target: analyses[1])))
    }
}
