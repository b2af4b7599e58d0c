/// Every failure of the key hierarchy. Messages name the file or the key id involved, never key bytes.
public enum TemplateCryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The master key file could not be opened, read or written; `errno` is the raw error number.
    case keyFileIO(path: String, operation: String, errno: Int32)
    /// A master key file must hold exactly 32 bytes.
    case keyFileLength(path: String, byteCount: Int)
    /// The master key file is accessible to its group or to others (mode shown in octal).
    case keyFilePermissions(path: String, mode: UInt32)
    /// The master key file is not a regular file.
    case keyFileNotRegular(path: String)
    /// A wrapped key or sealed template names a format version this code does not read.
    case unsupportedVersion(what: String, version: UInt8)
    /// A wrapped key or sealed template is shorter or longer than its format allows.
    case malformed(what: String, byteCount: Int)
    /// A data key was wrapped under another master key.
    case wrongMasterKey(expected: MasterKeyID, found: MasterKeyID)
    /// AES-GCM authentication failed: wrong key, wrong context, or altered bytes.
    case authenticationFailed(what: String)

    public var description: String {
        switch self {
        case let .keyFileIO(path, op, e): return "master key file \(path): \(op) failed with errno \(e)"
        case let .keyFileLength(path, n):
            return "master key file \(path) holds \(n) bytes; it must hold exactly 32 random bytes (head -c 32 /dev/urandom)"
        case let .keyFilePermissions(path, mode):
            return "master key file \(path) has mode \(String(mode, radix: 8)); it must not be accessible to group or others (chmod 600)"
        case let .keyFileNotRegular(path): return "master key file \(path) is not a regular file"
        case let .unsupportedVersion(what, v): return "\(what) has format version \(v), this build reads version 1"
        case let .malformed(what, n): return "\(what) has \(n) bytes, not a valid length"
        case let .wrongMasterKey(e, f): return "data key was wrapped under master key \(f), the given master key is \(e)"
        case let .authenticationFailed(what): return "\(what) failed authentication (wrong key, wrong context or altered bytes)"
        }
    }
}
