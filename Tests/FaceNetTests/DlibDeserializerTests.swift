import XCTest
@testable import FaceNet

final class DlibDeserializerTests: XCTestCase {
    func testSignedAndUnsignedIntegers() throws {
        // 300 = 0x012C -> control 2, bytes 2C 01; -5 -> control 0x81, byte 05.
        var reader = DlibDeserializer(bytes: [0x02, 0x2C, 0x01, 0x81, 0x05, 0x01, 0x07])
        XCTAssertEqual(try reader.readInt(), 300)
        XCTAssertEqual(try reader.readInt(), -5)
        XCTAssertEqual(try reader.readUInt(), 7)
        XCTAssertTrue(reader.isAtEnd)
    }

    func testFloatIsMantissaTimesPowerOfTwo() throws {
        // 3 * 2^-1 = 1.5: mantissa 3 (01 03), exponent -1 (81 01).
        var reader = DlibDeserializer(bytes: [0x01, 0x03, 0x81, 0x01])
        XCTAssertEqual(try reader.readFloat(), 1.5)
    }

    func testTruncationThrowsInsteadOfTrapping() {
        var reader = DlibDeserializer(bytes: [0x04, 0x01])
        XCTAssertThrowsError(try reader.readInt()) { error in
            XCTAssertEqual(error as? DlibModelError, .truncated(at: 0))
        }
        var empty = DlibDeserializer(bytes: [])
        XCTAssertThrowsError(try empty.readString())
    }

    func testStringAndHugeCountRefused() throws {
        var reader = DlibDeserializer(bytes: [0x01, 0x03, 0x61, 0x62, 0x63])
        XCTAssertEqual(try reader.readString(), "abc")
        var huge = DlibDeserializer(bytes: [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        XCTAssertThrowsError(try huge.readCount())
    }
}
