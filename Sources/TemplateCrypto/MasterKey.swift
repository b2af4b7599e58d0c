import Crypto

/// The key that wraps every data key: 32 random bytes kept in a file outside the data folder
/// (`--master-key-file`). It never encrypts templates itself, so retiring it (rotation, then
/// destroying the old file) makes every copy of the wrapped data keys made before unreadable.
// @unchecked: SymmetricKey is immutable but swift-crypto 3 does not declare it Sendable on Linux.
public struct MasterKey: @unchecked Sendable {
    public static let byteCount = 32
    let key: SymmetricKey
    public let id: MasterKeyID

    /// A key from raw bytes (tests and key files); nil unless exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        key = SymmetricKey(data: bytes)
        id = MasterKeyID(deriving: key)
    }

    /// A fresh random key (not yet in any file).
    public static func random() -> MasterKey {
        MasterKey(bytes: randomBytes(byteCount))!
    }

    /// Reads a key file: a regular file of exactly 32 bytes that neither group nor others may access.
    public static func load(from path: String) throws(TemplateCryptoError) -> MasterKey {
        let bytes = try KeyFile.read(path, byteCounts: byteCount...byteCount)
        return MasterKey(bytes: bytes)!
    }

    /// Creates a new key file with mode 0600; refuses (EEXIST) to replace an existing file.
    public static func create(at path: String) throws(TemplateCryptoError) -> MasterKey {
        let key = random()
        try KeyFile.create(path, contents: key.key.withUnsafeBytes { Array($0) })
        return key
    }

    /// `load(from:)` when the file exists, otherwise `create(at:)` (development mode).
    public static func loadOrCreate(at path: String) throws(TemplateCryptoError) -> MasterKey {
        do throws(TemplateCryptoError) {
            return try load(from: path)
        } catch .keyFileIO(_, "open", 2) {
            return try create(at: path)
        }
    }
}

func randomBytes(_ count: Int) -> [UInt8] {
    var rng = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
}
