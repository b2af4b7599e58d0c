import ArgumentParser
import Foundation

/// Prints `Output` values on standard output: indented for one answer, one line each for `embed`.
enum CLIOutput {
    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The decoder that reads this output back (tests, scripts in Swift).
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    static func json<Value: Encodable>(_ value: Value, pretty: Bool = true) -> String {
        do {
            return String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
        } catch {
            // Only non-finite numbers fail to encode; the schema's values are finite.
            return #"{"error": {"code": 13, "name": "INTERNAL", "message": "unencodable output"}}"#
        }
    }

    static func print<Value: Encodable>(_ value: Value, pretty: Bool = true) {
        Swift.print(json(value, pretty: pretty))
    }

    /// Prints `{"error": …}` and exits 1.
    static func fail(code: Int = 2, name: String = "UNKNOWN", message: String, pretty: Bool = true) -> ExitCode {
        print(Output.Failure(error: .init(code: code, name: name, message: message)), pretty: pretty)
        return ExitCode(1)
    }
}
