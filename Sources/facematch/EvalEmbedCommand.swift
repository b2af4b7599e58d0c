import ArgumentParser
import FaceNet
import Foundation
import MatchRPC

/// `facematch eval-embed --list FILE --out CACHE`: the per-image half of scripts/lfw-eval.sh.
/// Each image is decoded, detected and landmarked once; the most central face's descriptor is then
/// computed for every view the evaluation compares (the chip, its mirror, jittered chips), with
/// its quality measures and the time each step took. With `--model face-reidentification-retail-0095`,
/// YuNet's faces and the aligned crop's and its mirror's 0095 embeddings (`EvalReIDRecord`).
/// Lines already in CACHE are kept, so an interrupted run resumes.
struct EvalEmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-embed",
        abstract: "Cache descriptors (plain, mirrored, jittered) and quality measures for an evaluation set.",
        discussion: """
            Writes one JSON object per image and line to --out: {"file", "width", "height", \
            "faces": [[left, top, right, bottom, confidence]...], "central": index of the face \
            nearest the image centre, "landmarks", "quality": {...}, "single", "mirror": [128], \
            "jitter": [[128]...] of the most central face (LFW's subject), "largest_single": [128] \
            when the largest face is another one, \
            "ms": {...}}, or {"file", "error"}. Files are named relative to --root. \
            With --model face-reidentification-retail-0095: YuNet's faces \
            [[left, top, right, bottom, score]...], "central", its 5 "landmarks", "single" and \
            "mirror": [256], "largest_single", "ms" (no quality or jitters).
            """)

    @Option(help: "The face-model family: \(FaceModelID.allCases.map(\.rawValue).joined(separator: " or ")).")
    var model: FaceModelID = .dlib

    @Option(name: .long, help: "File listing the images, one path (relative to --root) per line.")
    var list: String

    @Option(name: .long, help: "Folder the listed paths are relative to.")
    var root: String = "."

    @Option(name: .long, help: "JSON-lines cache to append to.")
    var out: String

    @Option(name: .long, help: "Jittered chips per face (besides the chip itself).")
    var jitters: Int = 4

    @Option(name: .long, help: "Process only every n-th listed image starting at i, given as i/n.")
    var shard: String = "0/1"

    @Option(name: .long, help: "Shrink each image by this factor (0.1...1) after detection, before landmarks and chips.")
    var scale: Double = 1

    @Option(name: .long, help: "Longer side of the working image (larger images are shrunk to it before detection, as the service's working size).")
    var workingSide: Int = DecodeLimits.default.maxWorkingSide

    @Option(name: .long, help: "Smallest face the detector must find, pixels.")
    var minimumFaceSize: Int = FacePipeline.defaultMinimumFaceSize

    @Option(name: .long, help: "Threads per network pass.")
    var threads: Int = 1

    @OptionGroup var models: ModelsOption

    func validate() throws {
        guard (0...16).contains(jitters) else { throw ValidationError("--jitters must be 0...16") }
        guard parsedShard != nil else { throw ValidationError("--shard must be i/n with 0 <= i < n") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard (0.1...1).contains(scale) else { throw ValidationError("--scale must be 0.1...1") }
        guard (20...800).contains(minimumFaceSize) else { throw ValidationError("--minimum-face-size must be 20...800") }
        guard (32...4096).contains(workingSide) else { throw ValidationError("--working-side must be 32...4096") }
        if model == .reidentification0095, scale != 1 {
            throw ValidationError("--scale applies to dlib's chips; for \(model.rawValue) shrink with --working-side")
        }
    }

    private var parsedShard: (index: Int, count: Int)? {
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (0..<parts[1]).contains(parts[0]) else { return nil }
        return (parts[0], parts[1])
    }

    func run() throws {
        let record = try recordMaker()
        guard let listed = try? String(contentsOfFile: list, encoding: .utf8) else {
            throw CLIError(description: "cannot read \(list)")
        }
        let (index, count) = parsedShard!
        let files = listed.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
            .enumerated().filter { $0.offset % count == index }.map(\.element)
        let done = Self.doneFiles(out)
        if !FileManager.default.fileExists(atPath: out), !FileManager.default.createFile(atPath: out, contents: nil) {
            throw CLIError(description: "cannot create \(out)")
        }
        guard let sink = FileHandle(forWritingAtPath: out) else { throw CLIError(description: "cannot write \(out)") }
        defer { try? sink.close() }
        try sink.seekToEnd()
        var written = 0
        for file in files where !done.contains(file) {
            let line: JSONValue
            do {
                line = try record(file, (root as NSString).appendingPathComponent(file))
            } catch {
                line = .object([("file", .string(file)), ("error", .string("\(error)"))])
            }
            sink.write(Data((line.rendered() + "\n").utf8))
            written += 1
            if written % 500 == 0 {
                FileHandle.standardError.write(Data("eval-embed \(shard): \(written + done.count) images\n".utf8))
            }
        }
    }

    /// The chosen family's record of one image (listed name, path).
    private func recordMaker() throws -> (String, String) throws -> JSONValue {
        var limits = DecodeLimits.default
        limits.maxWorkingSide = workingSide
        do {
            switch model {
            case .dlib:
                let pipeline = try FacePipeline(models: try FaceModels(directory: models.directory), threads: threads)
                return { [jitters, scale, minimumFaceSize] file, path in
                    try EvalImageRecord.make(file: file, path: path, pipeline: pipeline, jitters: jitters, scale: scale,
                                             minimumFaceSize: minimumFaceSize, limits: limits)
                }
            case .reidentification0095:
                let pipeline = try ReIDPipeline(detector: try YuNetModel(directory: models.directory),
                                                embedder: try ReIDModel(directory: models.directory), threads: threads)
                return { file, path in try EvalReIDRecord.make(file: file, path: path, pipeline: pipeline, limits: limits) }
            }
        } catch {
            throw CLIError(description: "\(error)")
        }
    }

    /// Files a previous run already wrote (complete lines only).
    private static func doneFiles(_ path: String) -> Set<String> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var files = Set<String>()
        for line in text.split(separator: "\n") where line.hasSuffix("}") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = object["file"] as? String else { continue }
            files.insert(file)
        }
        return files
    }
}
