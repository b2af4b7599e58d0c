import Crypto
import XCTest
@testable import TemplateCrypto

/// The OpenSSL cipher against swift-crypto's AES-GCM (what sealed every template before it): the
/// same bytes in both directions, and the same errors.
final class TemplateCipherTests: XCTestCase {
    private let context = TemplateContext(namespace: "door", subject: "alice", modelID: "m")
    private let vector: [Float] = (0..<128).map { Float($0) / 128 - 0.5 }

    private var littleEndianBytes: [UInt8] { vector.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

    /// `SealedTemplate` bytes made by swift-crypto.
    private func swiftCryptoSeal(_ key: DataKey) throws -> [UInt8] {
        let box = try AES.GCM.seal(littleEndianBytes, using: key.key, authenticating: context.aad)
        return [SealedTemplate.version] + Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
    }

    private func open(_ cipher: TemplateCipher, _ sealed: [UInt8], with key: DataKey, for context: TemplateContext) throws -> [Float] {
        var out = [Float](repeating: .nan, count: 128)
        try sealed.withUnsafeBytes { raw in
            try out.withUnsafeMutableBufferPointer { try cipher.open(raw, dimension: 128, with: key, for: context, into: $0.baseAddress!) }
        }
        return out
    }

    func testSwiftCryptoSealedTemplateOpensWithTheCipher() throws {
        let key = DataKey.random()
        XCTAssertEqual(try open(TemplateCipher(), try swiftCryptoSeal(key), with: key, for: context), vector)
    }

    func testCipherSealedTemplateOpensWithSwiftCrypto() throws {
        let key = DataKey.random()
        let sealed = vector.withUnsafeBufferPointer { TemplateCipher().seal($0, with: key, for: context) }
        XCTAssertEqual(sealed.count, SealedTemplate.byteCount(dimension: 128))
        XCTAssertEqual(sealed[0], SealedTemplate.version)
        let box = try AES.GCM.SealedBox(combined: sealed[1...])
        XCTAssertEqual(Array(try AES.GCM.open(box, using: key.key, authenticating: context.aad)), littleEndianBytes)
    }

    func testOneCipherFollowsKeyChangesAndRecoversFromFailures() throws {
        let cipher = TemplateCipher()
        let a = DataKey.random(), b = DataKey.random()
        let sealedA = try swiftCryptoSeal(a), sealedB = try swiftCryptoSeal(b)
        for (sealed, key) in [(sealedA, a), (sealedB, b), (sealedA, a), (sealedA, a), (sealedB, b)] {
            XCTAssertEqual(try open(cipher, sealed, with: key, for: context), vector)
        }
        XCTAssertThrowsError(try open(cipher, sealedA, with: b, for: context))
        XCTAssertEqual(try open(cipher, sealedA, with: a, for: context), vector)
        let resealed = vector.withUnsafeBufferPointer { cipher.seal($0, with: b, for: context) }
        XCTAssertEqual(try open(cipher, resealed, with: b, for: context), vector)
    }

    func testWrongKeyAlteredByteAndWrongContextFailAndLeaveZeros() throws {
        let key = DataKey.random()
        let sealed = try swiftCryptoSeal(key)
        let cipher = TemplateCipher()
        let failed = TemplateCryptoError.authenticationFailed(what: "template of door/alice")
        var attempts: [(bytes: [UInt8], key: DataKey, context: TemplateContext)] = [(sealed, DataKey.random(), context)]
        for i in [1, 12, 13, 200, sealed.count - 16, sealed.count - 1] {
            var bad = sealed
            bad[i] ^= 0x01
            attempts.append((bad, key, context))
        }
        attempts.append((sealed, key, TemplateContext(namespace: "door", subject: "alice", modelID: "m2")))
        for (n, attempt) in attempts.enumerated() {
            var out = [Float](repeating: .nan, count: 128)
            XCTAssertThrowsError(try attempt.bytes.withUnsafeBytes { raw in
                try out.withUnsafeMutableBufferPointer { try cipher.open(raw, dimension: 128, with: attempt.key, for: attempt.context, into: $0.baseAddress!) }
            }, "attempt \(n)") { error in
                XCTAssertEqual(error as? TemplateCryptoError, failed, "attempt \(n)")
            }
            XCTAssertEqual(out, [Float](repeating: 0, count: 128), "attempt \(n) left unauthenticated bytes")
        }
        var version = sealed
        version[0] = 2
        XCTAssertThrowsError(try open(cipher, version, with: key, for: context)) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .unsupportedVersion(what: "sealed template", version: 2))
        }
    }
}
