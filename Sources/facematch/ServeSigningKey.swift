import ArgumentParser
import Logging
import MatchRPC
import Wire

extension ServeCommand {
    /// The key that signs answers: `--signing-key-file` or the config's `signing_key_file`; in dev
    /// mode (no config) `DATA_DIR/signing-key.pem`, made once. A configured server without a key
    /// refuses to start: relying services must be able to count on every decision being signed.
    static func signingKey(_ config: ServerConfig, logger: Logger) throws -> AnswerSigningKey {
        let key: AnswerSigningKey
        if let path = config.signingKeyFile {
            key = try SigningKeyFile.load(path: path)
            logger.info("answers signed", metadata: ["key_id": "\(key.publicKey.keyID)", "key_file": "\(path)"])
        } else if config.applications == nil {
            let dev = try SigningKeyFile.loadOrCreate(directory: config.dataDirectory)
            key = dev.key
            logger.notice("no --config: answers signed with the development key \(dev.path)",
                          metadata: ["key_id": "\(key.publicKey.keyID)", "created": "\(dev.created)"])
        } else {
            throw ValidationError("""
                no signing key: every answer is signed (docs/security.md), so a server with a config needs \
                --signing-key-file FILE or "signing_key_file" in the config; make one with \
                (umask 077; openssl genpkey -algorithm ed25519 -out FILE)
                """)
        }
        return key
    }
}
