import ArgumentParser
import Benchmarks

/// `facematch bench-sign`: what signing adds to each answer (Sources/Benchmarks/SigningBenchmark.swift).
struct BenchSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-sign",
        abstract: "Benchmark Ed25519 answer signing and verification against encoding the answer unsigned.")

    @Option(help: "Timed runs per row (after one warm-up).")
    var iterations = 20_000

    func validate() throws {
        guard (1...10_000_000).contains(iterations) else { throw ValidationError("--iterations must be 1...10000000") }
    }

    func run() {
        print(SigningBenchmark.rendered(SigningBenchmark.run(iterations: iterations)))
    }
}
