import XCTest
@testable import Wire

final class ResponseEnvelopeTests: XCTestCase {
    func testRoundTrip() throws {
        let response = ResponseEnvelope(callID: 7, status: .resourceExhausted, message: "queue full")
        let decoded = try ResponseEnvelope(serialized: response.serialized())
        XCTAssertEqual(decoded, response)
        XCTAssertEqual(decoded.status, .resourceExhausted)
        let ok = ResponseEnvelope(callID: .max, status: .ok, payload: Array(0...255))
        XCTAssertEqual(try ResponseEnvelope(serialized: ok.serialized()), ok)
    }

    func testUnknownCodeDecodesAsUnknownButKeepsItsNumber() throws {
        // status (field 2) = 99.
        let decoded = try ResponseEnvelope(serialized: [0x08, 0x01, 0x10, 99])
        XCTAssertEqual(decoded.statusCode, 99)
        XCTAssertEqual(decoded.status, .unknown)
    }

    func testGarbageIsATypedError() {
        XCTAssertThrowsError(try ResponseEnvelope(serialized: [0x0B])) { error in  // a group start
            XCTAssertEqual(error as? WireDecodeError, .undecodable(message: "ResponseEnvelope", bytes: 1))
        }
    }
}
