import ArgumentParser
import Benchmarks
import FaceNet
import Foundation

/// `facematch bench`: the face pipeline's stage benchmark (Sources/Benchmarks). Build with `-c release`.
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

    @Flag(help: "Instead of the stages: the descriptor network's steps on one chip, with GFLOPS.")
    var layers = false

    func run() throws {
        do {
            if layers {
                let chip = "\(fixtures)/reference/obama_chip.png"
                guard let png = FileManager.default.contents(atPath: chip) else { throw CLIError(description: "cannot read \(chip)") }
                let model = try EmbedderModel(directory: models.directory)
                print(try EmbedderLayerBenchmark.run(model: model, chip: ImageDecoder.decode([UInt8](png)).image,
                                                     iterations: iterations).rendered())
                return
            }
            let benchmark = FacePipelineBenchmark(
                modelsDirectory: models.directory, fixtures: fixtures, iterations: iterations,
                dlib: noDlib ? nil : DlibReferenceBench(python: python, script: dlibScript), dlibIterations: dlibIterations)
            print(try benchmark.run())
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(description: "\(error)")
        }
    }
}
