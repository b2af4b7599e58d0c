/// A template vector sealed under its subject's data key, format version 1 (29 + 4·D bytes):
///
///   0   1   version (1)
///   1   12  AES-GCM nonce (random)
///   13  4·D ciphertext of the D Float32 values, little-endian
///   13+4·D 16 AES-GCM tag
///
/// Key: the subject's `DataKey`. Additional data: `TemplateContext` bytes (namespace, subject,
/// model id), so a sealed template cannot be moved to another subject or model undetected.
public enum SealedTemplate {
    public static let version: UInt8 = 1
    public static let overhead = 1 + 12 + 16

    public static func byteCount(dimension: Int) -> Int { overhead + 4 * dimension }
}

/// One-off sealing and opening, each with its own `TemplateCipher`; bulk work keeps one cipher.
extension DataKey {
    /// Seals `vector` for `context` (see `SealedTemplate` for the bytes).
    public func seal(_ vector: [Float], for context: TemplateContext) -> [UInt8] {
        vector.withUnsafeBufferPointer { seal($0, for: context) }
    }

    public func seal(_ vector: UnsafeBufferPointer<Float>, for context: TemplateContext) -> [UInt8] {
        TemplateCipher().seal(vector, with: self, for: context)
    }

    /// Opens a sealed template of `dimension` values into `destination` (which must hold them).
    public func open(_ sealed: UnsafeRawBufferPointer, dimension: Int, for context: TemplateContext,
                     into destination: UnsafeMutablePointer<Float>) throws(TemplateCryptoError) {
        try TemplateCipher().open(sealed, dimension: dimension, with: self, for: context, into: destination)
    }

    /// Opens a sealed template into a new array.
    public func open(_ sealed: [UInt8], dimension: Int, for context: TemplateContext) throws(TemplateCryptoError) -> [Float] {
        var out = [Float](repeating: 0, count: dimension)
        let failure: TemplateCryptoError? = sealed.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { dst in
                do throws(TemplateCryptoError) {
                    try open(raw, dimension: dimension, for: context, into: dst.baseAddress!)
                    return nil
                } catch { return error }
            }
        }
        if let failure { throw failure }
        return out
    }
}
