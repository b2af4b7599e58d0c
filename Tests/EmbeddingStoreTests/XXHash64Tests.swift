import XCTest
@testable import EmbeddingStore

final class XXHash64Tests: XCTestCase {
    func testPublishedVectors() {
        XCTAssertEqual(XXHash64.hash([]), 0xEF46_DB37_51D8_E999)
        XCTAssertEqual(XXHash64.hash(Array("abc".utf8)), 0x44BC_2CF5_AD77_0999)
        XCTAssertEqual(XXHash64.hash(Array("Nobody inspects the spammish repetition".utf8)), 0xFBCE_A83C_8A37_8BF1)
    }

    func testSeedAndEverySingleBitFlipChangeTheHash() {
        let data = (0..<100).map { UInt8($0 * 7 & 0xFF) }
        let h = XXHash64.hash(data, seed: 1)
        XCTAssertNotEqual(h, XXHash64.hash(data, seed: 2))
        for i in 0..<(data.count * 8) {
            var d = data
            d[i / 8] ^= 1 << UInt8(i % 8)
            XCTAssertNotEqual(XXHash64.hash(d, seed: 1), h, "bit \(i)")
        }
    }
}
