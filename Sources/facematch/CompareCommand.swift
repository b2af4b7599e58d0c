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
            Prints the report as JSON: status (Approved, In Review, Declined under the default \
            thresholds: decline below 50, review below 70), score 0-100, distance, warnings \
            (risk, log_type, short_description, long_description) and both faces' boxes. \
            Exits 1 when an image cannot be read or decoded.
            """)

    @OptionGroup var models: ModelsOption

    @Argument(help: "The live image.")
    var source: String

    @Argument(help: "The reference image.")
    var target: String

    /// With --server the comparison runs on that server instead (see RemoteCompare).
    @OptionGroup var remote: RemoteOptions

    func run() async throws {
        if remote.server != nil {
            return try await RemoteCompare.run(source: source, target: target, remote: remote)
        }
        let pipeline = try models.pipeline()
        var options = FacePipeline.Options.largestFace
        options.descriptorMode = FacePipelineEngine.defaultDescriptorMode
        let analyses: [FaceAnalysis]
        do {
            analyses = try [source, target].map { file in
                do {
                    return try pipeline.analyze(imageBytes: try ImageFile.read(file), options: options)
                } catch {
                    throw ImageFile.ReadError(description: "\(file): \(error)")
                }
            }
        } catch {
            print(JSONValue.object([("error", .string("\(error)"))]).rendered(indent: 2))
            throw ExitCode(1)
        }
        let report = MatchPolicy().compare(source: analyses[0], target: analyses[1])
        print(AnalysisJSON.report(report).rendered(indent: 2))
    }
}
