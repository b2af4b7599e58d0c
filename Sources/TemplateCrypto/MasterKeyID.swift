import Crypto

/// A master key's public name: the first 16 bytes of SHA-256("facematch master key id v1\0" ‖ key).
/// It identifies which key wrapped a data key without revealing anything about the key.
public struct MasterKeyID: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 16
    public let bytes: [UInt8]

    /// Rebuilds an id read from a file or table; nil unless exactly 16 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    init(deriving key: SymmetricKey) {
        var hasher = SHA256()
        hasher.update(data: Array("facematch master key id v1\0".utf8))
        key.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        bytes = Array(hasher.finalize().prefix(Self.byteCount))
    }

    /// Lower-case hex, as logs and errors print it.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
