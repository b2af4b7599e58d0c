import ArgumentParser
import Foundation
import MatchClient

/// Runs one client call, over the servers of `--server` (failing over between them), and prints
/// its result in the CLI's schema (`Output`). Exit status 0 when the call succeeded (whatever a
/// report's status), 1 with `{"error": …}` on an error status.
enum RemoteCall {
    static func run<Result: Encodable>(_ options: RemoteOptions,
                                       _ body: (MatchClient) async throws -> Result) async throws {
        let pool = try options.pool()
        let result: Result
        do {
            result = try await pool.withClient(body)
        } catch let error as MatchClientError {
            await pool.close()
            throw CLIOutput.fail(code: Int(error.code.rawValue), name: error.code.name, message: error.description)
        } catch let error as ValidationError {
            await pool.close()
            throw error
        } catch {
            await pool.close()
            throw CLIOutput.fail(code: 14, name: "UNAVAILABLE", message: "cannot connect to \(options.address): \(error)")
        }
        await pool.close()
        CLIOutput.print(result)
    }
}
