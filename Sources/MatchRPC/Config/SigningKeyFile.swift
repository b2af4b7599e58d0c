import Foundation
import Wire

/// The server's answer-signing key file: PEM "PRIVATE KEY" (Ed25519 PKCS#8, as
/// `openssl genpkey -algorithm ed25519` writes it; see `SigningKeyPEM`). It must be readable by
/// its owner only: a group- or world-readable file is refused, since whoever reads it can sign
/// answers as this server. Dev mode keeps one in `DIR/signing-key.pem`, created once with mode 0600.
public enum SigningKeyFile {
    public static let developmentFileName = "signing-key.pem"

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case cannotRead(path: String, errno: Int32)
        case cannotWrite(path: String, errno: Int32)
        case readableByOthers(path: String, mode: UInt16)
        case invalid(path: String, reason: SigningKeyError)

        public var description: String {
            switch self {
            case .cannotRead(let path, let e): "cannot read signing key \(path): \(String(cString: strerror(e)))"
            case .cannotWrite(let path, let e): "cannot write signing key \(path): \(String(cString: strerror(e)))"
            case .readableByOthers(let path, let mode):
                "signing key \(path) has mode \(String(mode, radix: 8)): it must not be accessible to group or others "
                    + "(chmod 600 \(path))"
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
        var info = stat()
        guard stat(path, &info) == 0 else { throw .cannotRead(path: path, errno: errno) }
        let mode = UInt16(info.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw .readableByOthers(path: path, mode: mode) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .cannotRead(path: path, errno: errno) }
        do {
            return try SigningKeyPEM.privateKey(pem: String(decoding: data, as: UTF8.self))
        } catch {
            throw .invalid(path: path, reason: error)
        }
    }

    /// Dev mode: `DIR/signing-key.pem`, created (mode 0600) with a new random key when absent.
    /// `DIR` must exist (the development API key is made first).
    public static func loadOrCreate(directory: String) throws(Failure) -> Loaded {
        let path = (directory as NSString).appendingPathComponent(developmentFileName)
        let key = AnswerSigningKey()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            guard errno == EEXIST else { throw .cannotWrite(path: path, errno: errno) }
            return Loaded(key: try load(path: path), path: path, created: false)
        }
        let bytes = Array(SigningKeyPEM.pem(key).utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = written == bytes.count && fsync(fd) == 0
        let failure = errno
        close(fd)
        guard synced else {
            unlink(path)
            throw .cannotWrite(path: path, errno: failure)
        }
        return Loaded(key: key, path: path, created: true)
    }
}
