import Crypto
import struct Foundation.Data

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

extension DataKey {
    /// Seals `vector` for `context` (see `SealedTemplate` for the bytes).
    public func seal(_ vector: [Float], for context: TemplateContext) -> [UInt8] {
        vector.withUnsafeBufferPointer { seal($0, for: context) }
    }

    public func seal(_ vector: UnsafeBufferPointer<Float>, for context: TemplateContext) -> [UInt8] {
        var plain = [UInt8](repeating: 0, count: vector.count * 4)
        plain.withUnsafeMutableBytes { raw in
            for (i, v) in vector.enumerated() { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
        }
        let box = try! AES.GCM.seal(plain, using: key, authenticating: context.aad)
        var out: [UInt8] = [SealedTemplate.version]
        out.reserveCapacity(SealedTemplate.byteCount(dimension: vector.count))
        out += box.nonce
        out += box.ciphertext
        out += box.tag
        return out
    }

    /// Opens a sealed template of `dimension` values into `destination` (which must hold them).
    public func open(_ sealed: UnsafeRawBufferPointer, dimension: Int, for context: TemplateContext,
                     into destination: UnsafeMutablePointer<Float>) throws(TemplateCryptoError) {
        guard sealed.count == SealedTemplate.byteCount(dimension: dimension) else {
            throw .malformed(what: "sealed template", byteCount: sealed.count)
        }
        guard sealed[0] == SealedTemplate.version else { throw .unsupportedVersion(what: "sealed template", version: sealed[0]) }
        let plain: Data
        do {
            let box = try AES.GCM.SealedBox(combined: UnsafeRawBufferPointer(rebasing: sealed[1...]))
            plain = try AES.GCM.open(box, using: key, authenticating: context.aad)
        } catch {
            throw .authenticationFailed(what: "template of \(context.subject.namespace)/\(context.subject.subject)")
        }
        plain.withUnsafeBytes { raw in
            for i in 0..<dimension {
                destination[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            }
        }
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
