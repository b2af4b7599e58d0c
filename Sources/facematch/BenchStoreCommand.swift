import ArgumentParser
import Benchmarks
import Foundation

/// `facematch bench-store`: the embedding store's benchmark (Sources/Benchmarks). Build with `-c release`.
struct BenchStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-store", abstract: "Benchmark the embedding store (release build).")

    @Option(help: "Scratch directory (created, removed afterwards unless --keep).")
    var dir = NSTemporaryDirectory() + "facematch-bench-store"
    @Option(help: "Templates in the large namespace.")
    var templates = 1_000_000
    @Option(help: "Search queries per size.")
    var queries = 21
    @Option(help: "Single enrolments timed for latency.")
    var enrols = 300
    @Flag(help: "Only per-template decryption (swift-crypto against OpenSSL) and the opens of a store of --templates templates.")
    var decryptionOnly = false
    @Flag(help: "Keep the scratch directory.")
    var keep = false
    @Option(help: "Internal: open the store at this path, print open time and RSS, exit.")
    var openOnly: String?
    @Option(help: "Internal: the master key file of --open-only's store.")
    var masterKeyFile: String?

    func run() throws {
        if let path = openOnly { return try StoreBenchmark.openAndReport(path, keyFile: masterKeyFile ?? "") }
        defer { if !keep { try? FileManager.default.removeItem(atPath: dir) } }
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let benchmark = StoreBenchmark(directory: dir, templates: templates, queries: queries, enrols: enrols) {
            (executable, ["bench-store", "--open-only", $0, "--master-key-file", $1])
        }
        print(try benchmark.run(decryptionOnly: decryptionOnly))
    }
}
