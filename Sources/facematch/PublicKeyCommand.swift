import ArgumentParser
import MatchClient
import MatchRPC
import Wire

/// `facematch public-key`: the Ed25519 key that signs a server's answers, read from the key file
/// (the trustworthy way: give it to relying services out of band) or asked of a running server.
struct PublicKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public-key",
        abstract: "Print the public key that signs a server's answers (from its key file, or from Health).")

    @Option(name: .long, help: "The server's signing key file (PEM PKCS#8, mode 0600); without it, the server is asked.")
    var signingKeyFile: String?

    @OptionGroup var remote: RemoteOptions

    struct PublicKey: Encodable {
        var algorithm = "Ed25519"
        var keyId: String
        /// 32 bytes, hex: what --server-public-key and relying services take.
        var publicKey: String
        /// SubjectPublicKeyInfo, for OpenSSL and libraries that read PEM.
        var publicKeyPem: String
    }

    func run() async throws {
        if let signingKeyFile {
            let key: AnswerSigningKey
            do {
                key = try SigningKeyFile.load(path: signingKeyFile)
            } catch {
                throw CLIOutput.fail(message: error.description)
            }
            CLIOutput.print(Self.output(key.publicKey))
            return
        }
        try await RemoteCall.run(remote) { client in
            let health = try await client.health(timeout: remote.deadline)
            guard let raw = Hex.bytes(health.signingPublicKey), let key = try? AnswerPublicKey(raw: raw) else {
                throw MatchClientError.malformedResponse("the server's Health gives no signing key")
            }
            guard key.keyID == health.signingKeyID else {
                throw MatchClientError.malformedResponse(
                    "Health's signing_key_id \(health.signingKeyID) does not belong to its key (\(key.keyID))")
            }
            return Self.output(key)
        }
    }

    static func output(_ key: AnswerPublicKey) -> PublicKey {
        PublicKey(keyId: key.keyID, publicKey: key.hex, publicKeyPem: SigningKeyPEM.pem(key))
    }
}
