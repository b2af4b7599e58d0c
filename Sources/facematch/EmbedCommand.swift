import ArgumentParser
import FaceNet
import Foundation
import MatchRPC

/// `facematch embed [--json] IMAGE...`: every face of every image, largest first.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Detect faces and compute their embeddings (256-d with the default model, 128-d with dlib's).",
        discussion: """
            With --json, prints one JSON object per image and line: {"file", "width", "height", \
            "faces": [{"box": {"left", "top", "right", "bottom"}, "confidence", "landmarks": \
            [{"x", "y"} x5], "embedding": [256 floats, or 128 with dlib's model]}]}, or {"error": {"code", "name", \
            "message"}} for a file that cannot be read. \
            Without it, a one-line summary per image (no descriptors). Coordinates are in the \
            original image's upright frame. Exits 1 if any file failed.
            """)

    @Flag(name: .long, help: "Print JSON lines with the descriptors.")
    var json = false

    @OptionGroup var models: ModelsOption

    @OptionGroup var modelOption: ModelOption

    @Argument(help: "Image files (JPEG, PNG or WebP, recognised by content).")
    var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one image") }
    }

    func run() throws {
        let describe: (String, [UInt8]) throws -> Output.Image
        if modelOption.model == .reidentification0095 {
            let lines = try ReIDEmbedLines(directory: models.directory)
            describe = { file, bytes in try lines.image(file: file, bytes: bytes) }
        } else {
            let pipeline = try models.pipeline()
            describe = { file, bytes in Output.Image(file: file, analysis: try pipeline.analyze(imageBytes: bytes)) }
        }
        var failed = 0
        for file in images {
            do {
                let image = try describe(file, try ImageFile.read(file))
                if json {
                    CLIOutput.print(image, pretty: false)
                } else {
                    print(ReIDEmbedLines.summary(image))
                }
            } catch {
                failed += 1
                if json {
                    CLIOutput.print(Output.Failure(error: .init(code: 3, name: "INVALID_ARGUMENT", message: "\(file): \(error)")),
                                    pretty: false)
                } else {
                    FileHandle.standardError.write(Data("\(file): error: \(error)\n".utf8))
                }
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
