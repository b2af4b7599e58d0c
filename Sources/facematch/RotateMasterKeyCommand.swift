import ArgumentParser
import EmbeddingStore
import EnrollmentCluster
import Foundation
import Logging
import MatchRPC

/// `facematch rotate-master-key`: re-wraps every live data key under a new master key. After it
/// succeeds, destroying the old key file makes every copy made before (backups, snapshots, dumps,
/// WAL) unable to open the templates of subjects deleted since (docs/security.md).
struct RotateMasterKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-master-key",
        abstract: "Re-wrap every data key under a new master key; then destroy the old key file.",
        discussion: """
            Prints a JSON report per backend. The new key file is created (32 random bytes, mode \\
            0600) when it does not exist. A crash leaves each backend wholly under the old or \\
            wholly under the new key; run the command again with the same files to finish. \\
            --data: the server must be stopped (the data directory is locked). --postgres: one \\
            transaction over facematch_data_keys while the nodes run (their writes wait); restart \\
            every node with the new key file afterwards.
            """)

    @Option(name: [.customLong("data"), .customLong("data-dir")], help: "The service's data directory (local store).")
    var data: String?

    @Option(name: .long, help: "PostgreSQL holding the enrolments (as given to serve --postgres).")
    var postgres: String?

    @Option(name: .long, help: "The current master key file.")
    var masterKeyFile: String

    @Option(name: .long, help: "The new master key file (created when missing).")
    var newMasterKeyFile: String

    struct Report: Encodable {
        var backend: String
        var oldKeyId: String
        var newKeyId: String
        var dataKeys: Int
        var seconds: Double
    }

    func run() async throws {
        do {
            let old = try MasterKey.load(from: masterKeyFile)
            let new = try MasterKey.loadOrCreate(at: newMasterKeyFile)
            guard old.id != new.id else { throw ValidationError("the new master key is the current one") }
            let backends = self.backends()
            guard !backends.isEmpty else { throw ValidationError("name what to rotate: --data DIR and/or --postgres URL") }
            var reports: [Report] = []
            for backend in backends {
                let start = Date()
                let keys = try await backend.rotate(from: old, to: new)
                reports.append(Report(backend: backend.name, oldKeyId: old.id.description, newKeyId: new.id.description,
                                      dataKeys: keys, seconds: Date().timeIntervalSince(start)))
            }
            CLIOutput.print(reports)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CLIOutput.fail(code: 9, name: "FAILED_PRECONDITION", message: "\(error)")
        }
    }

    /// One entry per place that holds wrapped data keys.
    private func backends() -> [any MasterKeyRotationBackend] {
        var out: [any MasterKeyRotationBackend] = []
        if let data {
            // Every model's store in the data directory (LocalStoreLayout): one left under the old
            // key would become unreadable when that key is destroyed.
            out.append(LocalStoreRotation(directory: data))
            for model in FaceModelID.allCases where LocalStoreLayout.directory(for: model, dataDirectory: data) != data {
                let directory = LocalStoreLayout.directory(for: model, dataDirectory: data)
                if FileManager.default.fileExists(atPath: directory + "/STORE") { out.append(LocalStoreRotation(directory: directory)) }
            }
        }
        if let postgres { out.append(PostgresRotation(url: postgres)) }
        return out
    }
}

/// A place whose data keys `rotate-master-key` re-wraps; returns how many it holds under the new key.
protocol MasterKeyRotationBackend {
    var name: String { get }
    func rotate(from old: MasterKey, to new: MasterKey) async throws -> Int
}

/// The local enrolment store in a data directory, locked against a running server.
struct LocalStoreRotation: MasterKeyRotationBackend {
    var directory: String
    var name: String { "local:\(directory)" }

    func rotate(from old: MasterKey, to new: MasterKey) async throws -> Int {
        guard FileManager.default.fileExists(atPath: directory + "/STORE") else { throw StoreError.notAStore(directory: directory) }
        try DataDirectoryLock.holdUntilExit(directory)
        let store = try EmbeddingStore.openExisting(directory: directory, options: StoreOptions(masterKey: old))
        return try store.rotateMasterKey(to: new).dataKeys
    }
}

/// PostgreSQL's `facematch_data_keys`, re-wrapped in one transaction while the nodes run.
struct PostgresRotation: MasterKeyRotationBackend {
    var url: String
    var name: String { "postgres" }

    func rotate(from old: MasterKey, to new: MasterKey) async throws -> Int {
        var logger = Logger(label: "facematch.rotate")
        logger.logLevel = .warning
        let outcome = try await MasterKeyRotation.rotate(url: url, from: old, to: new, logger: logger)
        return outcome.rewrapped + outcome.alreadyNew
    }
}
