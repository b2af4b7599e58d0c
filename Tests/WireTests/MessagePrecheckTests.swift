import XCTest
@testable import Wire

final class MessagePrecheckTests: XCTestCase {
    func testCleanUTF8AndOtherWireTypesPass() throws {
        // field 1 varint, field 2 "é" (string), field 3 fixed64, field 4 fixed32, field 5 bytes with a NUL.
        let bytes: [UInt8] = [0x08, 0x96, 0x01, 0x12, 0x02, 0xC3, 0xA9, 0x19] + Array(repeating: 0, count: 8)
            + [0x25, 0, 0, 0, 0, 0x2A, 0x01, 0x00]
        XCTAssertNoThrow(try MessagePrecheck.validate(bytes, message: "M", stringFields: [2]))
    }

    func testNulAndBadUTF8InAStringFieldAreNamed() {
        XCTAssertThrowsError(try MessagePrecheck.validate([0x12, 0x01, 0x00], message: "M", stringFields: [2])) { error in
            XCTAssertEqual(error as? WireDecodeError, .invalidString(message: "M", field: 2, bytes: 1))
        }
        // An overlong encoding of "/" and a lone continuation byte.
        for bad: [UInt8] in [[0xC0, 0xAF], [0x80]] {
            XCTAssertThrowsError(try MessagePrecheck.validate([0x12, UInt8(bad.count)] + bad, message: "M", stringFields: [2]))
        }
    }

    func testStructuralDamageIsRefusedWithoutReadingPastTheEnd() {
        let damaged: [[UInt8]] = [
            [0x12, 0x05, 0x61],                                  // length past the end
            [0x08],                                              // varint missing
            [0x08] + Array(repeating: 0xFF, count: 11),         // varint over 10 bytes
            [0x19, 0, 0],                                        // fixed64 cut short
            [0x1B],                                              // group start
            [0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],  // length near 2^64
        ]
        for bytes in damaged {
            XCTAssertThrowsError(try MessagePrecheck.validate(bytes, message: "M", stringFields: [2])) { error in
                XCTAssertEqual(error as? WireDecodeError, .undecodable(message: "M", bytes: bytes.count))
            }
        }
    }

    func testFloodOfSmallFieldsRefusedBeforeProtobufC() {
        // 300 unknown varint fields (field 15 = 0): legal protobuf, but each would be an allocation.
        let flood = Array([[UInt8]](repeating: [0x78, 0x00], count: 300).joined())
        XCTAssertThrowsError(try RequestEnvelope(serialized: flood)) { error in
            XCTAssertEqual(error as? WireDecodeError, .tooManyFields(message: "RequestEnvelope", limit: MessagePrecheck.maxFields))
        }
        let fewUnknown = Array([[UInt8]](repeating: [0x78, 0x00], count: 10).joined())
        XCTAssertNoThrow(try RequestEnvelope(serialized: fewUnknown), "a newer client's extra fields are fine")
    }
}
