import Foundation
import TemplateCrypto
import Wire

/// The server's answer-signing key file: PEM "PRIVATE KEY" (Ed25519 PKCS#8, as
/// `openssl genpkey -algorithm ed25519` writes it; see `SigningKeyPEM`). It must be readable by
/// its owner only: a group- or world-readable file is refused, since whoever reads it can sign
/// answers as this server. Dev mode keeps one in `DIR/signing-key.pem`, created once with mode 0600.
/// File access is TemplateCrypto's `KeyFile`, as for the master key.
public enum SigningKeyFile {
    public static let developmentFileName = "signing-key.pem"
    /// Far above a PEM Ed25519 key (119 bytes); a larger file is not a signing key.
    static let maxByteCount = 4096

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case cannotRead(path: String, errno: Int32)
        case cannotWrite(path: String, errno: Int32)
        case readableByOthers(path: String, mode: UInt16)
        case notRegularFile(path: String)
        case tooLarge(path: String, byteCount: Int)
        case invalid(path: String, reason: SigningKeyError)

        public var description: String {
            switch self {
            case .cannotRead(let path, let e): "cannot read signing key \(path): \(String(cString: strerror(e)))"
            case .cannotWrite(let path, let e): "cannot write signing key \(path): \(String(cString: strerror(e)))"
            case .readableByOthers(let path, let mode):
                "signing key \(path) has mode \(String(mode, radix: 8)): it must not be accessible to group or others "
                    + "(chmod 600 \(path))"
            case .notRegularFile(let path): "signing key \(path) is not a regular file"
            case .tooLarge(let path, let n): "signing key \(path) holds \(n) bytes: not a PEM signing key (at most \(maxByteCount) bytes)"
            case .invalid(let path, let reason): "signing key \(path): \(reason)"
            }
        }
    }

    public struct Loaded: Sendable {
        public let key: AnswerSigningKey
        public let path: String
        public let created: Bool
    }

    /// Reads the key at `path`, refusing a file that group or others may access.
    public static func load(path: String) throws(Failure) -> AnswerSigningKey {
        let bytes: [UInt8]
        do {
            bytes = try KeyFile.read(path, byteCounts: 0...maxByteCount)
        } catch {
            switch error {
            case let .keyFilePermissions(_, mode): throw .readableByOthers(path: path, mode: UInt16(truncatingIfNeeded: mode))
            case .keyFileNotRegular: throw .notRegularFile(path: path)
            case let .keyFileLength(_, n): throw .tooLarge(path: path, byteCount: n)
            case let .keyFileIO(_, _, e): throw .cannotRead(path: path, errno: e)
            default: throw .cannotRead(path: path, errno: EIO)
            }
        }
        do {
            return try SigningKeyPEM.privateKey(pem: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw .invalid(path: path, reason: error)
        }
    }

    /// Dev mode: `DIR/signing-key.pem`, created (mode 0600) with a new random key when absent.
    /// `DIR` must exist (the development API key is made first).
    public static func loadOrCreate(directory: String) throws(Failure) -> Loaded {
        let path = (directory as NSString).appendingPathComponent(developmentFileName)
        let key = AnswerSigningKey()
        do {
            try KeyFile.create(path, contents: Array(SigningKeyPEM.pem(key).utf8))
        } catch .keyFileIO(_, "create", EEXIST) {
            return Loaded(key: try load(path: path), path: path, created: false)
        } catch {
            guard case let .keyFileIO(_, _, e) = error else { throw .cannotWrite(path: path, errno: EIO) }
            throw .cannotWrite(path: path, errno: e)
        }
        return Loaded(key: key, path: path, created: true)
    }
}
