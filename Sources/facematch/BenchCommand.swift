import ArgumentParser
import FaceNet
import Foundation

/// `facematch bench`: medians per stage on the fixture images, resident memory, and dlib's own
/// timings on the same images when Python dlib is installed. Build with `-c release`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the face pipeline (and dlib, when installed) on the fixture images.")

    @OptionGroup var models: ModelsOption

    @Option(help: "Fixture folder with faces/, reference/ and bench/.")
    var fixtures = "Tests/Fixtures"

    @Option(help: "Timed runs per measurement (after one warm-up).")
    var iterations = 15

    @Option(help: "Timed runs per stage for dlib (it is slow).")
    var dlibIterations = 3

    @Flag(help: "Skip the dlib comparison.")
    var noDlib = false

    @Option(help: "Python interpreter for the dlib comparison.")
    var python = "python3"

    @Option(help: "The dlib comparison script.")
    var dlibScript = "scripts/bench_dlib.py"

    func run() throws {
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let pipeline = try models.pipeline()
        let faceModels = pipeline.models
        let loadMs = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6

        let inputs = try BenchInputs(fixtures: fixtures)
        var rows: [BenchRow] = []

        let decodeMs = BenchTiming.median(try inputs.originals.map { bytes in
            try BenchTiming.medianMilliseconds(iterations: iterations) { _ = try ImageDecoder.decode(bytes) }
        })
        rows.append(BenchRow(stage: "decode, faces/* originals to ≤800 px (median of \(inputs.originals.count))",
                             ours: decodeMs, dlibKey: nil))
        rows.append(BenchRow(stage: "decode, 800x533 JPEG", ours: try BenchTiming.medianMilliseconds(iterations: iterations) {
            _ = try ImageDecoder.decode(inputs.photoJPEG)
        }, dlibKey: "decode_800_jpeg"))

        let photo = try ImageDecoder.decode(inputs.photoJPEG).image
        let size = FacePipeline.defaultMinimumFaceSize
        rows.append(BenchRow(stage: "detect, \(photo.width)x\(photo.height)", ours: try BenchTiming.medianMilliseconds(iterations: iterations) {
            _ = try pipeline.detector.detect(photo, minimumFaceSize: size)
        }, dlibKey: "detect_800", target: 40))
        // The same photo when faces under 130 px need not be found (serve --minimum-face-size):
        // the three finest pyramid levels are skipped. Not dlib's result for smaller faces.
        let largeFaces = 130
        rows.append(BenchRow(stage: "detect, \(photo.width)x\(photo.height), faces ≥ \(largeFaces) px only",
                             ours: try BenchTiming.medianMilliseconds(iterations: iterations) {
            _ = try pipeline.detector.detect(photo, minimumFaceSize: largeFaces)
        }, dlibKey: nil, target: 40))

        let pipelineMs = try BenchTiming.medianMilliseconds(iterations: iterations) {
            _ = try pipeline.analyze(imageBytes: inputs.photoJPEG)
        }
        // Memory with the three models loaded and the pipeline's buffers in use, before the
        // benchmark loads anything of its own.
        let rss = ProcessMemory.megabytes("VmRSS"), peak = ProcessMemory.megabytes("VmHWM")

        // The embed target is for one thread (the pipeline's own embedder uses every core). The
        // baseline, every 3x3 layer as a direct convolution as before the im2col + GEMM path, is
        // timed on each chip right after, so that both see the same machine.
        let singleThreadEmbedder = try FaceEmbedder(model: faceModels.embedder, threads: 1)
        let directModel = try EmbedderModel(directory: models.directory, im2colMaxInputSide: 0)
        let directEmbedder = try FaceEmbedder(model: directModel, threads: 1)
        var landmarkTimes: [Double] = [], embedTimes: [Double] = [], directTimes: [Double] = []
        for face in inputs.faces {
            landmarkTimes.append(try BenchTiming.medianMilliseconds(iterations: iterations) {
                let points = faceModels.shapePredictor.landmarks(in: face.image, box: face.box)
                _ = try FaceAligner.chip(from: face.image, landmarks: points)
            })
            let chip = try FaceAligner.chip(from: face.image,
                                            landmarks: faceModels.shapePredictor.landmarks(in: face.image, box: face.box))
            embedTimes.append(try BenchTiming.medianMilliseconds(iterations: iterations) {
                _ = try singleThreadEmbedder.embed(chip: chip)
            })
            directTimes.append(try BenchTiming.medianMilliseconds(iterations: iterations) {
                _ = try directEmbedder.embed(chip: chip)
            })
        }
        rows.append(BenchRow(stage: "landmarks + chip (median of \(inputs.faces.count) faces)",
                             ours: BenchTiming.median(landmarkTimes), dlibKey: "landmarks_chip"))
        rows.append(BenchRow(stage: "embed, one chip, one thread (median of \(inputs.faces.count))",
                             ours: BenchTiming.median(embedTimes), dlibKey: "embed", target: 4))
        rows.append(BenchRow(stage: "embed, one chip, one thread, every 3x3 layer direct (baseline)",
                             ours: BenchTiming.median(directTimes), dlibKey: nil))
        rows.append(BenchRow(stage: "whole pipeline, 800 px JPEG, all faces", ours: pipelineMs, dlibKey: "pipeline_800_jpeg", target: 50))

        var dlib: [String: Double]? = nil
        var dlibNote = "dlib comparison skipped (--no-dlib)"
        if !noDlib {
            let faces = inputs.faces.map { DlibReferenceBench.Face(png: $0.png, box: $0.intBox) }
            (dlib, dlibNote) = DlibReferenceBench(python: python, script: dlibScript)
                .run(models: models.directory, jpeg: inputs.photoPath, faces: faces, iterations: dlibIterations)
        }

        print("facematch bench: medians in ms, \(iterations) runs after a warm-up; models loaded in \(Self.format(loadMs)) ms")
        print("dlib: \(dlibNote)\n")
        print("| stage | facematch | target | dlib | dlib / facematch |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for row in rows {
            let theirs = row.dlibKey.flatMap { dlib?[$0] }
            print("| \(row.stage) | \(Self.format(row.ours)) | \(row.target.map { "≤ \(Self.format($0))" } ?? "") "
                + "| \(theirs.map(Self.format) ?? "–") | \(theirs.map { Self.format($0 / row.ours) + "x" } ?? "–") |")
        }
        let memory = [rss.map { "VmRSS \(Self.format($0)) MB" }, peak.map { "VmHWM \(Self.format($0)) MB" }].compactMap { $0 }
        print("| resident memory, all three models loaded | \(memory.joined(separator: ", ")) | ≤ 200 MB | | |")
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        return value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }
}

struct BenchRow {
    let stage: String
    let ours: Double
    let dlibKey: String?
    var target: Double? = nil
}
