import ArgumentParser
import Foundation
import MatchClient
import NIOCore
import Wire

/// Options shared by every command that calls a running server.
struct RemoteOptions: ParsableArguments {
    static let defaultServer = "127.0.0.1:7470"

    /// Optional so that `compare` can tell whether to run in-process (no --server) or remotely.
    @Option(name: .long, help: "Server address HOST:PORT, or several as HOST:PORT,HOST:PORT (calls take turns and fail over; default \(RemoteOptions.defaultServer)).")
    var server: String?

    var address: String { server ?? Self.defaultServer }

    @Option(name: .long, help: "File holding the API key (otherwise FACEMATCH_API_KEY).")
    var apiKeyFile: String?

    @Option(name: .long, help: "Deadline for the call, in seconds.")
    var timeout: Double = 30

    @OptionGroup var tls: RemoteTLSOptions
    @Option(name: .long, help: "The server's answer-signing public key (64 hex digits, or a file holding them or a PEM PUBLIC KEY; `facematch public-key` prints it): answers must then carry its valid, fresh signature.")
    var serverPublicKey: String?

    /// The key from --api-key-file, else FACEMATCH_API_KEY.
    func apiKey() throws -> String {
        if let apiKeyFile {
            guard let data = FileManager.default.contents(atPath: apiKeyFile) else {
                throw ValidationError("cannot read --api-key-file \(apiKeyFile)")
            }
            let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw ValidationError("\(apiKeyFile) is empty") }
            return key
        }
        if let key = ProcessInfo.processInfo.environment["FACEMATCH_API_KEY"], !key.isEmpty {
            return key
        }
        throw ValidationError("no API key: pass --api-key-file FILE or set FACEMATCH_API_KEY")
    }

    var deadline: TimeAmount {
        .nanoseconds(Int64(max(0.001, min(timeout, 3600)) * 1e9))
    }

    func connect() async throws -> MatchClient {
        try await MatchClient.connect(address: address, apiKey: try apiKey(), tls: try tls.configuration(),
                                      verifier: try verifier())
    }

    func pool() throws -> MatchClientPool {
        let verifier = try verifier(), tls = try tls.configuration()
        return try MatchClientPool(addresses: [address], apiKey: try apiKey()) { address, key in
            try await MatchClient.connect(address: address, apiKey: key, tls: tls, verifier: verifier)
        }
    }

    /// The check of answers' signatures, when --server-public-key is given.
    func verifier() throws -> AnswerVerifier? {
        guard let serverPublicKey else { return nil }
        var text = serverPublicKey
        if !SigningKeyPEM.looksLikePublicKey(serverPublicKey) {
            guard let data = FileManager.default.contents(atPath: serverPublicKey) else {
                throw ValidationError("--server-public-key: neither 64 hex digits nor a readable file: \(serverPublicKey)")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        do {
            return AnswerVerifier(publicKey: try SigningKeyPEM.publicKey(text: text))
        } catch {
            throw ValidationError("--server-public-key: \(error)")
        }
    }

    func validate() throws {
        guard timeout.isFinite, timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
        _ = try MatchClientPool.parseAddresses(address)
        _ = try verifier()
    }
}
