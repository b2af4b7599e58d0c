import Foundation
import XCTest
@testable import Wire

final class SigningKeyPEMTests: XCTestCase {
    private func fixture(_ name: String) throws -> String {
        try String(contentsOf: WireFormatExampleTests.repository.appendingPathComponent("Tests/Fixtures/signing/\(name)"),
                   encoding: .utf8)
    }

    func testReadsOpenSSLKeysAndDerivesOpenSSLsPublicKey() throws {
        let key = try SigningKeyPEM.privateKey(pem: try fixture("openssl-ed25519.pem"))
        let openssl = try SigningKeyPEM.publicKey(text: try fixture("openssl-ed25519.pub.pem"))
        XCTAssertEqual(key.publicKey, openssl)
        XCTAssertEqual(SigningKeyPEM.pem(key.publicKey), try fixture("openssl-ed25519.pub.pem"))
        XCTAssertEqual(SigningKeyPEM.pem(key), try fixture("openssl-ed25519.pem"), "written as OpenSSL writes it")
    }

    func testPrivateKeyRoundTripsThroughPEM() throws {
        let key = AnswerSigningKey()
        XCTAssertEqual(try SigningKeyPEM.privateKey(pem: SigningKeyPEM.pem(key)).seed, key.seed)
    }

    func testPublicKeyAsHex() throws {
        let key = try AnswerSigningKey(seed: Array(repeating: 7, count: 32))
        XCTAssertEqual(try SigningKeyPEM.publicKey(text: key.publicKey.hex.uppercased() + "\n"), key.publicKey)
        XCTAssertTrue(SigningKeyPEM.looksLikePublicKey(key.publicKey.hex))
        XCTAssertFalse(SigningKeyPEM.looksLikePublicKey("/etc/facematch/server.pub"))
    }

    func testRefusesWhatIsNotAnEd25519Key() throws {
        XCTAssertThrowsError(try SigningKeyPEM.privateKey(pem: "not a key")) {
            XCTAssertEqual($0 as? SigningKeyError, .notPEM(expected: "PRIVATE KEY"))
        }
        // A P-256 PKCS#8 header (another algorithm) is not taken for Ed25519.
        let p256 = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n"
        XCTAssertThrowsError(try SigningKeyPEM.privateKey(pem: p256)) {
            guard case .unsupportedKey = $0 as? SigningKeyError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try SigningKeyPEM.publicKey(text: "abcd")) {
            XCTAssertEqual($0 as? SigningKeyError, .notHex("abcd"))
        }
        XCTAssertThrowsError(try AnswerSigningKey(seed: [1, 2, 3])) {
            XCTAssertEqual($0 as? SigningKeyError, .wrongLength(what: "Ed25519 private key seed", bytes: 3, expected: 32))
        }
    }
}
