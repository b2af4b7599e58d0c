import ArgumentParser
import EmbeddingStore
import Foundation

/// `facematch store check|compact --data-dir DIR`: the enrolment store's integrity check and
/// compaction for operators, with the server stopped (the data directory's lock enforces it).
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Check or compact the enrolment store in a data directory (with the server stopped).",
        subcommands: [StoreCheckCommand.self, StoreCompactCommand.self])
}

struct StoreDirectoryOption: ParsableArguments {
    @Option(name: [.customLong("data-dir"), .customLong("data")], help: "The service's data directory (its --data-dir).")
    var dataDir: String

    @Option(name: .long, help: "The store's master key file (the server's --master-key-file; default: the development key DIR/dev-master-key).")
    var masterKeyFile: String?

    /// Locks the directory and opens the store it holds; `{"error": …}` and exit 1 otherwise.
    func open() throws -> EmbeddingStore {
        do {
            guard FileManager.default.fileExists(atPath: dataDir + "/STORE") else {
                throw StoreError.notAStore(directory: dataDir)
            }
            try DataDirectoryLock.holdUntilExit(dataDir)
            let key = try MasterKey.load(from: masterKeyFile ?? dataDir + "/" + ServiceEngine.developmentMasterKeyName)
            return try EmbeddingStore.openExisting(directory: dataDir, options: StoreOptions(masterKey: key))
        } catch {
            throw CLIOutput.fail(code: 9, name: "FAILED_PRECONDITION", message: "\(error)")
        }
    }
}

struct StoreCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every record and template checksum; exit 1 when anything is damaged.",
        discussion: """
            Prints a JSON report: per namespace the counts, what opening it recovered and what the \\
            integrity check found; "clean" is false (and the exit status 1) when any record or \\
            template is damaged. Damaged templates are never served either way.
            """)

    @OptionGroup var directory: StoreDirectoryOption

    func run() throws {
        let report = try StoreReport.check(try directory.open(), directory: directory.dataDir)
        CLIOutput.print(report)
        if !report.clean { throw ExitCode(1) }
    }
}

struct StoreCompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Rewrite every namespace without erased or damaged templates; exit 1 when damage was dropped.",
        discussion: """
            Prints a JSON report: per namespace the templates kept, slots and bytes reclaimed and \\
            damaged templates dropped; "clean" is false (and the exit status 1) when opening \\
            found damage or compaction dropped damaged templates.
            """)

    @OptionGroup var directory: StoreDirectoryOption

    func run() throws {
        let report = try StoreReport.compact(try directory.open(), directory: directory.dataDir)
        CLIOutput.print(report)
        if !report.clean { throw ExitCode(1) }
    }
}
