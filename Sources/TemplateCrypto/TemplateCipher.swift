import CAESGCM
import Crypto

/// Seals and opens templates (`SealedTemplate` bytes) with one reusable AES-256-GCM context
/// (OpenSSL through `CAESGCM`): the key schedule is built when the data key changes, not per
/// template, and nothing is allocated per template. Bulk decryption keeps one per thread and
/// feeds it one subject's templates after another; it is not Sendable, so it cannot be shared.
public final class TemplateCipher {
    private let cipher: OpaquePointer

    public init() {
        guard let cipher = aes_gcm_new() else { fatalError("OpenSSL could not create an AES-256-GCM context") }
        self.cipher = cipher
    }

    deinit { aes_gcm_free(cipher) }

    /// Seals `vector` for `context` under `key` with a fresh random nonce.
    public func seal(_ vector: UnsafeBufferPointer<Float>, with key: DataKey, for context: TemplateContext) -> [UInt8] {
        let count = 4 * vector.count
        let nonce = AES.GCM.Nonce()
        var out = [UInt8](repeating: 0, count: SealedTemplate.byteCount(dimension: vector.count))
        let status = out.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            o[0] = SealedTemplate.version
            nonce.withUnsafeBytes { o.advanced(by: 1).update(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: 12) }
            return littleEndianBytes(vector) { plain in
                rekey(key) && context.aad.withUnsafeBufferPointer { aad in
                    aes_gcm_seal(cipher, o + 1, aad.baseAddress, aad.count, plain, count, o + 13, o + 13 + count) == AES_GCM_OK
                }
            }
        }
        precondition(status, "OpenSSL AES-256-GCM sealing failed")
        return out
    }

    /// Opens a sealed template of `dimension` values into `destination` (which must hold them).
    /// On failure `destination` is left zeroed.
    public func open(_ sealed: UnsafeRawBufferPointer, dimension: Int, with key: DataKey, for context: TemplateContext,
                     into destination: UnsafeMutablePointer<Float>) throws(TemplateCryptoError) {
        guard sealed.count == SealedTemplate.byteCount(dimension: dimension) else {
            throw .malformed(what: "sealed template", byteCount: sealed.count)
        }
        guard sealed[0] == SealedTemplate.version else { throw .unsupportedVersion(what: "sealed template", version: sealed[0]) }
        let s = sealed.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let count = 4 * dimension
        let plain = UnsafeMutableRawPointer(destination).assumingMemoryBound(to: UInt8.self)
        let opened = rekey(key) && context.aad.withUnsafeBufferPointer { aad in
            aes_gcm_open(cipher, s + 1, aad.baseAddress, aad.count, s + 13, count, s + 13 + count, plain) == AES_GCM_OK
        }
        guard opened else {
            destination.update(repeating: 0, count: dimension)
            throw .authenticationFailed(what: "template of \(context.subject.namespace)/\(context.subject.subject)")
        }
        #if _endian(big)
        for i in 0..<dimension { destination[i] = Float(bitPattern: UInt32(littleEndian: destination[i].bitPattern)) }
        #endif
    }

    private func rekey(_ key: DataKey) -> Bool {
        key.key.withUnsafeBytes { aes_gcm_set_key(cipher, $0.bindMemory(to: UInt8.self).baseAddress!) == AES_GCM_OK }
    }
}

/// The template's bytes as stored: Float32 little-endian (the memory itself on little-endian hosts).
private func littleEndianBytes<R>(_ vector: UnsafeBufferPointer<Float>, _ body: (UnsafePointer<UInt8>?) -> R) -> R {
    #if _endian(little)
    return body(UnsafeRawPointer(vector.baseAddress)?.assumingMemoryBound(to: UInt8.self))
    #else
    let swapped = vector.map { $0.bitPattern.littleEndian }
    return swapped.withUnsafeBytes { body($0.bindMemory(to: UInt8.self).baseAddress) }
    #endif
}
