import ArgumentParser
import Benchmarks
import FaceNet
import Foundation

/// `facematch bench-model2`: the second model family (YuNet + face-reidentification-retail-0095)
/// on this machine, median and fastest run in ms; scripts/bench-model2.sh times the reference runtimes in the same
/// run. Build with `-c release`.
struct BenchModel2Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-model2",
        abstract: "Benchmark YuNet detection and 0095 embedding, and 800 against 640 px working images.")

    @OptionGroup var models: ModelsOption

    @Option(help: "Fixture folder with faces/ and bench/.")
    var fixtures = "Tests/Fixtures"

    @Option(help: "Timed runs per measurement (after one warm-up).")
    var iterations = 30

    @Flag(help: "Only load both families, run each once on one worker, and print resident memory.")
    var memoryOnly = false

    func run() throws {
        if memoryOnly { return try measureMemory() }
        let directory = models.directory
        let yunet = try YuNetModel(directory: directory)
        let reid = try ReIDModel(directory: directory)
        let jpeg = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures).appendingPathComponent("bench/two_people_800x533.jpg")))
        let photo = try ImageDecoder.decode(jpeg).image
        let detector1 = try YuNetDetector(model: yunet, threads: 1)
        let detector2 = try YuNetDetector(model: yunet, threads: 2)
        let embedder = try ReIDEmbedder(model: reid, threads: 1)
        let smaller = BilinearResampler.resize(photo, width: 640, height: 427)

        // The fastest run beside the median: on a shared machine it is the least disturbed one.
        func row(_ stage: String, _ samples: Samples) {
            print(stage.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: " %8.2f %8.2f", samples.median, samples.min ?? .nan))
        }
        print("stage (ours)                                               median ms   min ms")
        row("yunet \(photo.width)x\(photo.height), 1 thread", try BenchClock.time(iterations: iterations) { _ = try detector1.detect(photo) })
        row("yunet \(photo.width)x\(photo.height), 2 threads", try BenchClock.time(iterations: iterations) { _ = try detector2.detect(photo) })
        row("yunet 640x427, 1 thread", try BenchClock.time(iterations: iterations) { _ = try detector1.detect(smaller) })
        row("yunet 640x427, 2 threads", try BenchClock.time(iterations: iterations) { _ = try detector2.detect(smaller) })

        guard let face = try detector2.detect(photo).max(by: { $0.area < $1.area }) else {
            throw ValidationError("no face found in the bench photo")
        }
        row("align + embed one face, 1 thread", try BenchClock.time(iterations: iterations) {
            guard let crop = SimilarityAlignment.crop(photo, landmarks: face.landmarks) else { return }
            _ = try embedder.embed(crop: crop)
        })
        row("embed an aligned crop, 1 thread", try {
            let crop = SimilarityAlignment.crop(photo, landmarks: face.landmarks)!
            return try BenchClock.time(iterations: iterations) { _ = try embedder.embed(crop: crop) }
        }())
        for (threads, detector) in [(1, detector1), (2, detector2)] {
            row("pipeline, 800x533 JPEG bytes to embedding, \(threads) thread\(threads > 1 ? "s" : "")",
                try BenchClock.time(iterations: iterations) {
                    let image = try ImageDecoder.decode(jpeg).image
                    guard let f = try detector.detect(image).max(by: { $0.area < $1.area }),
                          let crop = SimilarityAlignment.crop(image, landmarks: f.landmarks) else { return }
                    _ = try embedder.embed(crop: crop)
                })
        }
        print(String(format: "activation arenas: yunet 800x533 %.1f MB, 0095 %.2f MB",
                     Double(try detector2.arenaBytes(width: photo.width, height: photo.height)) / 1e6, Double(embedder.arenaBytes) / 1e6))

        try compareWorkingSizes(detector2)
    }

    /// Resident memory of a process holding both families with one worker each (run alone, so
    /// the timing runs' extra detectors and sizes do not count).
    private func measureMemory() throws {
        let jpeg = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures).appendingPathComponent("bench/two_people_800x533.jpg")))
        let dlib = try models.pipeline()
        _ = try dlib.analyze(imageBytes: jpeg)
        let detector = try YuNetDetector(model: try YuNetModel(directory: models.directory), threads: ProcessorCount.available)
        let embedder = try ReIDEmbedder(model: try ReIDModel(directory: models.directory))
        let image = try ImageDecoder.decode(jpeg).image
        for face in try detector.detect(image) {
            if let crop = SimilarityAlignment.crop(image, landmarks: face.landmarks) { _ = try embedder.embed(crop: crop) }
        }
        print(String(format: "resident memory, both families loaded and run once: %.1f MB (peak %.1f MB)",
                     ProcessMemory.mebibytes("VmRSS") ?? .nan, ProcessMemory.mebibytes("VmHWM") ?? .nan))
    }

    /// Faces found on every fixture original at 800 and at 640 px working size, and detection time.
    private func compareWorkingSizes(_ detector: YuNetDetector) throws {
        let faces = URL(fileURLWithPath: fixtures).appendingPathComponent("faces")
        var totals = [800: 0, 640: 0], times = [800: [Double](), 640: [Double]()], fewer: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: faces.path).sorted() {
            let bytes = [UInt8](try Data(contentsOf: faces.appendingPathComponent(file)))
            var found: [Int: Int] = [:]
            for side in [800, 640] {
                var limits = DecodeLimits.default
                limits.maxWorkingSide = side
                let image = try ImageDecoder.decode(bytes, limits: limits).image
                found[side] = try detector.detect(image).count
                totals[side, default: 0] += found[side]!
                times[side, default: []].append(try BenchClock.time(iterations: 5) { _ = try detector.detect(image) }.median)
            }
            if found[640]! != found[800]! { fewer.append("\(file) (\(found[800]!) at 800, \(found[640]!) at 640)") }
        }
        print(String(format: "working size 800: %d faces on the fixtures, median detect %.2f ms (2 threads)", totals[800]!, Samples(times[800]!).median))
        print(String(format: "working size 640: %d faces on the fixtures, median detect %.2f ms (2 threads)", totals[640]!, Samples(times[640]!).median))
        print("images where the counts differ: \(fewer.isEmpty ? "none" : fewer.joined(separator: ", "))")
    }
}
