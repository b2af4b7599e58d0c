import ArgumentParser
import Foundation
import MatchClient

/// Runs one client call and prints its result as JSON on standard output. Exit status 0 when
/// the call succeeded (whatever a report's status), 1 with `{"error": …}` on an error status.
enum RemoteCall {
    static func run<Result: Encodable>(_ options: RemoteOptions,
                                       _ body: (MatchClient) async throws -> Result) async throws {
        let pool = try options.pool()
        do {
            let result = try await pool.withClient(body)
            await pool.close()
            print(try json(result))
        } catch let error as MatchClientError {
            await pool.close()
            printError(code: Int(error.code.rawValue), name: error.code.name, message: error.description)
            throw ExitCode(1)
        } catch {
            await pool.close()
            printError(code: 14, name: "UNAVAILABLE", message: "cannot connect to \(options.address): \(error)")
            throw ExitCode(1)
        }
    }

    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var code: Int
            var name: String
            var message: String
        }
        var error: Detail
    }

    private static func printError(code: Int, name: String, message: String) {
        let body = ErrorBody(error: .init(code: code, name: name, message: message))
        print((try? json(body)) ?? #"{"error": {"code": \#(code)}}"#)
    }
}
