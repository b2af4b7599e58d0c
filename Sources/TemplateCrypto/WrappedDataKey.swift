import Crypto

/// A data key wrapped by a master key, format version 1 (77 bytes):
///
///   0   1  version (1)
///   1  16  id of the master key that wrapped it (`MasterKeyID`)
///   17 12  AES-GCM nonce (random)
///   29 32  ciphertext of the data key
///   61 16  AES-GCM tag
///
/// Key: the master key. Additional data: "FMWK1" ‖ master key id ‖ `SubjectContext` bytes, so a
/// wrapped key only unwraps for the subject it was made for and under the master key it names.
public enum WrappedDataKey {
    public static let version: UInt8 = 1
    public static let byteCount = 1 + MasterKeyID.byteCount + 12 + DataKey.byteCount + 16

    /// The id of the master key that wrapped `wrapped`, without unwrapping (for rotation and errors).
    public static func masterKeyID(of wrapped: [UInt8]) throws(TemplateCryptoError) -> MasterKeyID {
        try checkShape(wrapped)
        return MasterKeyID(bytes: Array(wrapped[1...MasterKeyID.byteCount]))!
    }

    static func checkShape(_ wrapped: [UInt8]) throws(TemplateCryptoError) {
        guard wrapped.count == byteCount else { throw .malformed(what: "wrapped data key", byteCount: wrapped.count) }
        guard wrapped[0] == version else { throw .unsupportedVersion(what: "wrapped data key", version: wrapped[0]) }
    }

    static func aad(_ id: MasterKeyID, _ context: SubjectContext) -> [UInt8] {
        Array("FMWK1".utf8) + id.bytes + context.encoded
    }
}

extension MasterKey {
    /// Wraps `dataKey` for `context` (see `WrappedDataKey` for the bytes).
    public func wrap(_ dataKey: DataKey, for context: SubjectContext) -> [UInt8] {
        let plain = dataKey.key.withUnsafeBytes { Array($0) }
        let box = try! AES.GCM.seal(plain, using: key, authenticating: WrappedDataKey.aad(id, context))
        var out: [UInt8] = [WrappedDataKey.version]
        out.reserveCapacity(WrappedDataKey.byteCount)
        out += id.bytes
        out += box.nonce
        out += box.ciphertext
        out += box.tag
        return out
    }

    /// Unwraps a key made by `wrap(_:for:)` with this master key and the same context.
    public func unwrap(_ wrapped: [UInt8], for context: SubjectContext) throws(TemplateCryptoError) -> DataKey {
        let found = try WrappedDataKey.masterKeyID(of: wrapped)
        guard found == id else { throw .wrongMasterKey(expected: id, found: found) }
        let n = 1 + MasterKeyID.byteCount
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: wrapped[n..<n + 12]),
                                            ciphertext: wrapped[(n + 12)..<(n + 12 + DataKey.byteCount)],
                                            tag: wrapped[(n + 12 + DataKey.byteCount)...])
            let plain = try AES.GCM.open(box, using: key, authenticating: WrappedDataKey.aad(id, context))
            return DataKey(key: SymmetricKey(data: plain))
        } catch {
            throw .authenticationFailed(what: "wrapped data key of \(context.namespace)/\(context.subject)")
        }
    }

    /// Re-wraps a key wrapped under `self` for the same context under `newKey` (rotation).
    public func rewrap(_ wrapped: [UInt8], for context: SubjectContext, under newKey: MasterKey) throws(TemplateCryptoError) -> [UInt8] {
        newKey.wrap(try unwrap(wrapped, for: context), for: context)
    }
}
