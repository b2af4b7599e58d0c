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
            "faces": [{"box": [left, top, right, bottom], "confidence", "landmarks": [[x, y] x5], \
            "embedding": [128 floats]}]}, or {"file", "error"} for a file that cannot be read. \
            Without it, a one-line summary per image (no descriptors). Coordinates are in the \
            original image's upright frame. Exits 1 if any file failed.
            """)

    @Flag(name: .long, help: "Print JSON lines with the descriptors.")
    var json = false

    @OptionGroup var models: ModelsOption

    @Option(help: "The face-model family: \(FaceModelID.allCases.map(\.rawValue).joined(separator: " or ")).")
    var model: FaceModelID = .dlib

    @Argument(help: "Image files (JPEG, PNG or WebP, recognised by content).")
    var images: [String]

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one image") }
    }

    func run() throws {
        let describe: (String, [UInt8]) throws -> String
        if model == .reidentification0095 {
            let lines = try ReIDEmbedLines(directory: models.directory)
            describe = { [json] file, bytes in try lines.line(file: file, bytes: bytes, json: json) }
        } else {
            let pipeline = try models.pipeline()
            describe = { [json] file, bytes in
                let analysis = try pipeline.analyze(imageBytes: bytes)
                return json ? AnalysisJSON.embedLine(file: file, analysis: analysis).rendered() : Self.summary(file, analysis)
            }
        }
        var failed = 0
        for file in images {
            do {
                print(try describe(file, try ImageFile.read(file)))
            } catch {
                failed += 1
                if json {
                    print(AnalysisJSON.errorLine(file: file, error: "\(error)").rendered())
                } else {
                    FileHandle.standardError.write(Data("\(file): error: \(error)\n".utf8))
                }
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private static func summary(_ file: String, _ analysis: FaceAnalysis) -> String {
        let boxes = analysis.faces.map { f in
            "[\(Int(f.box.left.rounded())), \(Int(f.box.top.rounded())), \(Int(f.box.right.rounded())), \(Int(f.box.bottom.rounded()))]"
        }
        return "\(file): \(analysis.width)x\(analysis.height), \(analysis.faces.count) face(s) \(boxes.joined(separator: " "))"
    }
}
