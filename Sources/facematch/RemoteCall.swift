import ArgumentParser
import Foundation
import MatchClient

/// Runs one client call and prints its result in the CLI's schema (`Output`). Exit status 0 when
/// the call succeeded (whatever a report's status), 1 with `{"error": …}` on an error status.
enum RemoteCall {
    static func run<Result: Encodable>(_ options: RemoteOptions,
                                       _ body: (MatchClient) async throws -> Result) async throws {
        let client: MatchClient
        do {
            client = try await options.connect()
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CLIOutput.fail(code: 14, name: "UNAVAILABLE", message: "cannot connect to \(options.address): \(error)")
        }
        defer { Task { await client.close() } }
        do {
            CLIOutput.print(try await body(client))
        } catch let error as MatchClientError {
            throw CLIOutput.fail(code: Int(error.code.rawValue), name: error.code.name, message: error.description)
        }
    }
}
