import ArgumentParser
import FaceNet
import Foundation

/// `facematch embed [--json] IMAGE...`: every face of every image, largest first.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Detect faces and compute their 128-d descriptors.",
        discussion: """
            With --json, prints one JSON object per image and line: {"file", "width", "height", \
            "faces": [{"box": {"left", "top", "right", "bottom"}, "confidence", "landmarks": \
            [{"x", "y"} x5], "embedding": [128 floats]}]}, or {"error": {"code", "name", \
            "message"}} for a file that cannot be read. \
            Without it, a one-line summary per image (no descriptors). Coordinates are in the \
            original image's upright frame. Exits 1 if any file failed.
            """)

    @Flag(name: .long, help: "Print JSON lines with the descriptors.")
    var json = false

    @OptionGroup var models: ModelsOption

    @Argument(help: "Image files (JPEG, PNG or WebP, recognised by content).")
    var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one image") }
    }

    func run() throws {
        let pipeline = try models.pipeline()
        var failed = 0
        for file in images {
            do {
                let analysis = try pipeline.analyze(imageBytes: try ImageFile.read(file))
                if json {
                    CLIOutput.print(Output.Image(file: file, analysis: analysis), pretty: false)
                } else {
                    print(summary(file, analysis))
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

    private func summary(_ file: String, _ analysis: FaceAnalysis) -> String {
        let boxes = analysis.faces.map { f in
            "[\(Int(f.box.left.rounded())), \(Int(f.box.top.rounded())), \(Int(f.box.right.rounded())), \(Int(f.box.bottom.rounded()))]"
        }
        return "\(file): \(analysis.width)x\(analysis.height), \(analysis.faces.count) face(s) \(boxes.joined(separator: " "))"
    }
}
