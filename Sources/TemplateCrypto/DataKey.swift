import Crypto

/// A subject's own key: 32 random bytes that encrypt only that subject's templates. It is stored
/// only wrapped by the master key (`MasterKey.wrap`); destroying every wrapped copy, or the master
/// key that wrapped a copy, erases the subject's templates wherever their ciphertext survives.
// @unchecked: SymmetricKey is immutable but swift-crypto 3 does not declare it Sendable on Linux.
public struct DataKey: @unchecked Sendable {
    public static let byteCount = 32
    let key: SymmetricKey

    public static func random() -> DataKey { DataKey(key: SymmetricKey(size: .bits256)) }

    init(key: SymmetricKey) { self.key = key }
}
