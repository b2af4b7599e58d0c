import FaceNet
import Foundation

/// `facematch bench`: medians per stage on the fixture images, resident memory, and dlib's own
/// timings on the same images when Python dlib is installed. Meaningful in a release build.
public struct FacePipelineBenchmark {
    public var modelsDirectory: String
    /// Folder with faces/, reference/ and bench/ (Tests/Fixtures).
    public var fixtures: String
    /// Timed runs per measurement, after one warm-up.
    public var iterations: Int
    /// nil skips the dlib comparison.
    public var dlib: DlibReferenceBench?
    public var dlibIterations: Int

    public init(modelsDirectory: String, fixtures: String, iterations: Int, dlib: DlibReferenceBench?, dlibIterations: Int) {
        self.modelsDirectory = modelsDirectory
        self.fixtures = fixtures
        self.iterations = iterations
        self.dlib = dlib
        self.dlibIterations = dlibIterations
    }

    struct Row {
        let stage: String
        let ours: Double
        let dlibKey: String?
        var target: Double? = nil
    }

    /// Runs every stage and returns the report as a Markdown table with a two-line header.
    public func run() throws -> String {
        let loadStart = BenchClock.nanoseconds()
        let faceModels = try FaceModels(directory: modelsDirectory)
        let pipeline = try FacePipeline(models: faceModels)
        let loadMs = BenchClock.milliseconds(since: loadStart)

        let inputs = try BenchInputs(fixtures: fixtures)
        var rows: [Row] = []
        let decodeMs = Samples(try inputs.originals.map { bytes in
            try BenchClock.time(iterations: iterations) { _ = try ImageDecoder.decode(bytes) }.median
        }).median
        rows.append(Row(stage: "decode, faces/* originals to ≤800 px (median of \(inputs.originals.count))",
                        ours: decodeMs, dlibKey: nil))
        rows.append(Row(stage: "decode, 800x533 JPEG", ours: try BenchClock.time(iterations: iterations) {
            _ = try ImageDecoder.decode(inputs.photoJPEG)
        }.median, dlibKey: "decode_800_jpeg"))

        let photo = try ImageDecoder.decode(inputs.photoJPEG).image
        let size = FacePipeline.defaultMinimumFaceSize
        rows.append(Row(stage: "detect, \(photo.width)x\(photo.height)", ours: try BenchClock.time(iterations: iterations) {
            _ = try pipeline.detector.detect(photo, minimumFaceSize: size)
        }.median, dlibKey: "detect_800", target: 40))
        // The same photo when faces under 130 px need not be found (serve --minimum-face-size):
        // the three finest pyramid levels are skipped. Not dlib's result for smaller faces.
        let largeFaces = 130
        rows.append(Row(stage: "detect, \(photo.width)x\(photo.height), faces ≥ \(largeFaces) px only",
                        ours: try BenchClock.time(iterations: iterations) {
            _ = try pipeline.detector.detect(photo, minimumFaceSize: largeFaces)
        }.median, dlibKey: nil, target: 40))

        let pipelineMs = try BenchClock.time(iterations: iterations) {
            _ = try pipeline.analyze(imageBytes: inputs.photoJPEG)
        }.median
        // Memory with the three models loaded and the pipeline's buffers in use, before the
        // benchmark loads anything of its own.
        let rss = ProcessMemory.mebibytes("VmRSS"), peak = ProcessMemory.mebibytes("VmHWM")

        // The embed target is for one thread (the pipeline's own embedder uses every core). The
        // baseline, every 3x3 layer as a direct convolution as before the im2col + GEMM path, is
        // timed on each chip right after, so that both see the same machine.
        let singleThreadEmbedder = try FaceEmbedder(model: faceModels.embedder, threads: 1)
        let directModel = try EmbedderModel(directory: modelsDirectory, im2colMaxInputSide: 0)
        let directEmbedder = try FaceEmbedder(model: directModel, threads: 1)
        var landmarkTimes: [Double] = [], embedTimes: [Double] = [], directTimes: [Double] = []
        for face in inputs.faces {
            landmarkTimes.append(try BenchClock.time(iterations: iterations) {
                let points = faceModels.shapePredictor.landmarks(in: face.image, box: face.box)
                _ = try FaceAligner.chip(from: face.image, landmarks: points)
            }.median)
            let chip = try FaceAligner.chip(from: face.image,
                                            landmarks: faceModels.shapePredictor.landmarks(in: face.image, box: face.box))
            embedTimes.append(try BenchClock.time(iterations: iterations) {
                _ = try singleThreadEmbedder.embed(chip: chip)
            }.median)
            directTimes.append(try BenchClock.time(iterations: iterations) {
                _ = try directEmbedder.embed(chip: chip)
            }.median)
        }
        rows.append(Row(stage: "landmarks + chip (median of \(inputs.faces.count) faces)",
                        ours: Samples(landmarkTimes).median, dlibKey: "landmarks_chip"))
        rows.append(Row(stage: "embed, one chip, one thread (median of \(inputs.faces.count))",
                        ours: Samples(embedTimes).median, dlibKey: "embed", target: 4))
        rows.append(Row(stage: "embed, one chip, one thread, every 3x3 layer direct (baseline)",
                        ours: Samples(directTimes).median, dlibKey: nil))
        rows.append(Row(stage: "whole pipeline, 800 px JPEG, all faces", ours: pipelineMs, dlibKey: "pipeline_800_jpeg", target: 50))

        var dlibTimings: [String: Double]? = nil
        var dlibNote = "dlib comparison skipped (--no-dlib)"
        if let dlib {
            let faces = inputs.faces.map { DlibReferenceBench.Face(png: $0.png, box: $0.intBox) }
            (dlibTimings, dlibNote) = dlib.run(models: modelsDirectory, jpeg: inputs.photoPath, faces: faces, iterations: dlibIterations)
        }

        var lines = [
            "facematch bench: medians in ms, \(iterations) runs after a warm-up; models loaded in \(Self.format(loadMs)) ms",
            "dlib: \(dlibNote)", "",
            "| stage | facematch | target | dlib | dlib / facematch |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for row in rows {
            let theirs = row.dlibKey.flatMap { dlibTimings?[$0] }
            lines.append("| \(row.stage) | \(Self.format(row.ours)) | \(row.target.map { "≤ \(Self.format($0))" } ?? "") "
                + "| \(theirs.map(Self.format) ?? "–") | \(theirs.map { Self.format($0 / row.ours) + "x" } ?? "–") |")
        }
        let memory = [rss.map { "VmRSS \(Self.format($0)) MiB" }, peak.map { "VmHWM \(Self.format($0)) MiB" }].compactMap { $0 }
        lines.append("| resident memory, all three models loaded | \(memory.joined(separator: ", ")) | ≤ 200 MB | | |")
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        return value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }
}
