import ArgumentParser
import EnrollmentCluster
import Foundation
import Logging
import TemplateCrypto

/// `facematch rotate-master-key --postgres URL --master-key-file OLD --new-master-key-file NEW`:
/// re-wraps every data key in PostgreSQL under the new master key in one transaction, then the
/// operator destroys the old key file (docs/scaling.md, "Rotating the master key").
struct RotateMasterKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-master-key",
        abstract: "Re-wrap every template data key under a new master key (then destroy the old key file).",
        discussion: """
            With --postgres: one transaction over facematch_data_keys (writers wait meanwhile); \\
            keys already under the new master key are skipped, so it can be run again. Prints a \\
            JSON report. Afterwards restart every node with --master-key-file NEW.
            """)

    @Option(help: "PostgreSQL holding the enrolments (as given to serve --postgres).")
    var postgres: String

    @Option(help: "The master key file in use now.")
    var masterKeyFile: String

    @Option(help: "The new master key file (32 random bytes, mode 0600): head -c 32 /dev/urandom > new.key; chmod 600 new.key")
    var newMasterKeyFile: String

    private struct Report: Codable {
        var rewrappedKeys: Int
        var alreadyNewKeys: Int
        var seconds: Double
        var oldMasterKeyID: String
        var newMasterKeyID: String

        enum CodingKeys: String, CodingKey {
            case rewrappedKeys = "rewrapped_keys", alreadyNewKeys = "already_new_keys", seconds
            case oldMasterKeyID = "old_master_key_id", newMasterKeyID = "new_master_key_id"
        }
    }

    func run() async throws {
        var logger = Logger(label: "facematch.rotate")
        logger.logLevel = .warning
        do {
            let old = try MasterKey.load(from: masterKeyFile)
            let new = try MasterKey.load(from: newMasterKeyFile)
            let outcome = try await MasterKeyRotation.rotate(url: postgres, from: old, to: new, logger: logger)
            CLIOutput.print(Report(rewrappedKeys: outcome.rewrapped, alreadyNewKeys: outcome.alreadyNew,
                                   seconds: (outcome.seconds * 1000).rounded() / 1000,
                                   oldMasterKeyID: "\(old.id)", newMasterKeyID: "\(new.id)"))
        } catch {
            throw CLIOutput.fail(code: 9, name: "FAILED_PRECONDITION", message: "\(error)")
        }
    }
}
