import XCTest
@testable import MatchRPC

final class APIKeyDigestTests: XCTestCase {
    func testDigestIsSHA256OfTheKeyBytes() throws {
        // sha256("abc"), FIPS 180-2 test vector.
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        XCTAssertEqual(APIKeyDigest(key: "abc").hex, expected)
        XCTAssertEqual(try APIKeyDigest(hex: expected.uppercased()), APIKeyDigest(key: "abc"))
    }

    func testHexParsingRejectsWrongLengthAndNonHex() {
        XCTAssertThrowsError(try APIKeyDigest(hex: "abcd")) { error in
            XCTAssertEqual(error as? APIKeyDigest.ParseError, .notSHA256Hex(length: 4))
        }
        let bad = String(repeating: "g", count: 64)
        XCTAssertThrowsError(try APIKeyDigest(hex: bad))
    }

    func testOnlyTheExactKeyMatchesWhicheverByteDiffers() throws {
        let digest = APIKeyDigest(key: "key-a")
        XCTAssertTrue(digest.matches(key: "key-a"))
        XCTAssertFalse(digest.matches(key: "key-b"))
        XCTAssertFalse(digest.matches(key: "key-a "))
        XCTAssertFalse(digest.matches(key: ""))
        // A stored digest that differs from the key's in any one byte, first to last, refuses it.
        for position in 0..<32 {
            var bytes = digest.bytes
            bytes[position] ^= 0x80
            let almost = try APIKeyDigest(hex: bytes.map { String(format: "%02x", $0) }.joined())
            XCTAssertFalse(almost.matches(key: "key-a"), "byte \(position)")
        }
    }

    func testDescriptionDoesNotRevealTheDigest() {
        let digest = APIKeyDigest(key: "secret")
        XCTAssertFalse(String(describing: digest).contains(digest.hex.prefix(8)))
    }
}
