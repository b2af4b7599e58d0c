import Foundation

/// The key files' text forms, as OpenSSL reads and writes them:
/// `openssl genpkey -algorithm ed25519` writes the private key as PEM "PRIVATE KEY" (PKCS#8,
/// RFC 8410: a fixed 16-byte DER prefix, then the 32-byte seed); `openssl pkey -pubout` the
/// public key as PEM "PUBLIC KEY" (SubjectPublicKeyInfo: a fixed 12-byte prefix, then the key).
public enum SigningKeyPEM {
    static let pkcs8Prefix: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                       0x04, 0x22, 0x04, 0x20]
    static let spkiPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    public static func privateKey(pem: String) throws(SigningKeyError) -> AnswerSigningKey {
        let der = try block(pem, label: "PRIVATE KEY")
        guard der.count == pkcs8Prefix.count + 32, der.starts(with: pkcs8Prefix) else {
            throw .unsupportedKey(reason: "the PRIVATE KEY block is not an Ed25519 PKCS#8 key (RFC 8410; make one with "
                                  + "`openssl genpkey -algorithm ed25519`)")
        }
        return try AnswerSigningKey(seed: Array(der.dropFirst(pkcs8Prefix.count)))
    }

    public static func pem(_ key: AnswerSigningKey) -> String {
        encode(pkcs8Prefix + key.seed, label: "PRIVATE KEY")
    }

    public static func pem(_ key: AnswerPublicKey) -> String {
        encode(spkiPrefix + key.rawRepresentation, label: "PUBLIC KEY")
    }

    /// A public key given as 64 hex digits or as a PEM "PUBLIC KEY" block.
    public static func publicKey(text: String) throws(SigningKeyError) -> AnswerPublicKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN") {
            let der = try block(trimmed, label: "PUBLIC KEY")
            guard der.count == spkiPrefix.count + 32, der.starts(with: spkiPrefix) else {
                throw .unsupportedKey(reason: "the PUBLIC KEY block is not an Ed25519 key")
            }
            return try AnswerPublicKey(raw: Array(der.dropFirst(spkiPrefix.count)))
        }
        guard trimmed.utf8.count == 64, let raw = Hex.bytes(trimmed) else { throw .notHex(trimmed) }
        return try AnswerPublicKey(raw: raw)
    }

    /// Whether `text` is written as a public key (hex digits or PEM) rather than naming a file.
    public static func looksLikePublicKey(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.hasPrefix("-----BEGIN") || (trimmed.utf8.count == 64 && Hex.bytes(trimmed) != nil)
    }

    private static func block(_ pem: String, label: String) throws(SigningKeyError) -> [UInt8] {
        let begin = "-----BEGIN \(label)-----", end = "-----END \(label)-----"
        guard let start = pem.range(of: begin), let stop = pem.range(of: end, range: start.upperBound..<pem.endIndex),
              let der = Data(base64Encoded: pem[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }) else {
            throw .notPEM(expected: label)
        }
        return Array(der)
    }

    private static func encode(_ der: [UInt8], label: String) -> String {
        "-----BEGIN \(label)-----\n\(Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed]))\n-----END \(label)-----\n"
    }
}
