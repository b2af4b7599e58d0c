import ArgumentParser
import MatchClient

struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll", abstract: "Enrol the largest face in IMAGE as SUBJECT (server call).")

    @Argument(help: "Subject id (1-128 bytes).") var subject: String
    @Argument(help: "Image file (JPEG, PNG or WebP).") var image: String
    @Flag(name: .long, help: "Replace the subject's enrolment instead of adding to it.") var replace = false
    @Option(name: .long, help: "Opaque text echoed in the response.") var vendorData = ""
    @OptionGroup var remote: RemoteOptions

    func run() async throws {
        let bytes = try ImageFile.input(image)
        try await RemoteCall.run(remote) {
            Output.Enrollment(try await $0.enroll(subject: subject, image: bytes, vendorData: vendorData, replace: replace,
                                                  timeout: remote.deadline))
        }
    }
}

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Match the largest face in IMAGE against SUBJECT's enrolment (server call).")

    @Argument(help: "Subject id.") var subject: String
    @Argument(help: "Image file.") var image: String
    @Option(name: .long, help: "Opaque text echoed in the report.") var vendorData = ""
    @OptionGroup var remote: RemoteOptions

    func run() async throws {
        let bytes = try ImageFile.input(image)
        try await RemoteCall.run(remote) {
            Output.Report(try await $0.verify(subject: subject, image: bytes, vendorData: vendorData, timeout: remote.deadline))
        }
    }
}

struct IdentifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify", abstract: "Find the enrolled subjects closest to the largest face in IMAGE (server call).")

    @Argument(help: "Image file.") var image: String
    @Option(name: .long, help: "Most candidates to return (1-50; default 5, as the server's).") var topK = 5
    @Option(name: .long, help: "Lowest score (0-100) a candidate may have.") var minScore = 50.0
    @OptionGroup var remote: RemoteOptions

    func validate() throws {
        guard (1...50).contains(topK) else { throw ValidationError("--top-k must be 1...50") }
        guard (0...100).contains(minScore) else { throw ValidationError("--min-score must be 0...100") }
    }

    func run() async throws {
        let bytes = try ImageFile.input(image)
        try await RemoteCall.run(remote) {
            Output.Identification(try await $0.identify(image: bytes, topK: topK, minScore: minScore, timeout: remote.deadline))
        }
    }
}

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete SUBJECT's enrolment (server call).")

    @Argument(help: "Subject id.") var subject: String
    @OptionGroup var remote: RemoteOptions

    func run() async throws {
        try await RemoteCall.run(remote) { Output.Deletion(try await $0.deleteEnrollment(subject: subject, timeout: remote.deadline)) }
    }
}

struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Ask a server whether it is serving, its model, and your store statistics.")

    @OptionGroup var remote: RemoteOptions

    func run() async throws {
        try await RemoteCall.run(remote) { Output.Health(try await $0.health(timeout: remote.deadline)) }
    }
}

/// `compare SOURCE TARGET --server HOST:PORT`: the remote half of `compare`. The in-process
/// `compare` command calls this when its `--server` option is given.
enum RemoteCompare {
    static func run(source: String, target: String, vendorData: String = "", remote: RemoteOptions) async throws {
        let sourceBytes = try ImageFile.input(source)
        let targetBytes = try ImageFile.input(target)
        try await RemoteCall.run(remote) {
            Output.Report(try await $0.compare(source: sourceBytes, target: targetBytes, vendorData: vendorData,
                                               timeout: remote.deadline))
        }
    }
}
