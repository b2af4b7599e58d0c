import Crypto

/// The server's Ed25519 key that signs answers (RFC 8032 over `AnswerStatement.bytes()`).
/// Unchecked Sendable: swift-crypto's key types are immutable values it has not marked Sendable.
public struct AnswerSigningKey: @unchecked Sendable {
    private let key: Curve25519.Signing.PrivateKey
    public let publicKey: AnswerPublicKey

    /// A new random key.
    public init() {
        self.init(key: Curve25519.Signing.PrivateKey())
    }

    /// The key whose 32-byte RFC 8032 seed is `seed`.
    public init(seed: [UInt8]) throws(SigningKeyError) {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .wrongLength(what: "Ed25519 private key seed", bytes: seed.count, expected: 32)
        }
        self.init(key: key)
    }

    private init(key: Curve25519.Signing.PrivateKey) {
        self.key = key
        self.publicKey = AnswerPublicKey(key.publicKey)
    }

    /// The 32-byte seed: secret, for writing the key file only.
    public var seed: [UInt8] { Array(key.rawRepresentation) }

    /// The 64-byte signature of `statement` (deterministic: the same statement, the same bytes).
    public func sign(_ statement: AnswerStatement) -> [UInt8] {
        sign(bytes: statement.bytes())
    }

    public func sign(bytes: [UInt8]) -> [UInt8] {
        // BoringSSL's Ed25519 fails only on allocation failure.
        Array(try! key.signature(for: bytes))
    }
}

/// A server's Ed25519 public key and its id (the first 8 bytes of SHA-256 of the 32 raw bytes,
/// in hex), as HealthResult and `facematch public-key` give them. Unchecked Sendable as above.
public struct AnswerPublicKey: @unchecked Sendable, Equatable, CustomStringConvertible {
    fileprivate let key: Curve25519.Signing.PublicKey
    public let rawRepresentation: [UInt8]
    public let keyID: String

    fileprivate init(_ key: Curve25519.Signing.PublicKey) {
        self.key = key
        self.rawRepresentation = Array(key.rawRepresentation)
        self.keyID = Self.keyID(of: rawRepresentation)
    }

    public init(raw: [UInt8]) throws(SigningKeyError) {
        guard raw.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw .wrongLength(what: "Ed25519 public key", bytes: raw.count, expected: 32)
        }
        self.init(key)
    }

    public static func keyID(of raw: [UInt8]) -> String {
        Hex.string(SHA256.hash(data: raw).prefix(8))
    }

    public var hex: String { Hex.string(rawRepresentation) }

    public var description: String { "Ed25519 public key \(keyID)" }

    public func isValidSignature(_ signature: [UInt8], for statement: AnswerStatement) -> Bool {
        signature.count == 64 && key.isValidSignature(signature, for: statement.bytes())
    }

    public static func == (a: AnswerPublicKey, b: AnswerPublicKey) -> Bool {
        a.rawRepresentation == b.rawRepresentation
    }
}

public enum SigningKeyError: Error, Equatable, CustomStringConvertible {
    case wrongLength(what: String, bytes: Int, expected: Int)
    case notPEM(expected: String)
    case unsupportedKey(reason: String)
    case notHex(String)

    public var description: String {
        switch self {
        case .wrongLength(let what, let bytes, let expected): "\(what) has \(bytes) bytes, expected \(expected)"
        case .notPEM(let expected): "not a PEM \"\(expected)\" block"
        case .unsupportedKey(let reason): "unsupported key: \(reason)"
        case .notHex(let text): "\"\(text.prefix(80))\" is neither 64 hex digits nor a PEM public key"
        }
    }
}
