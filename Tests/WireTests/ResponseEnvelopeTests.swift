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

    func testRetryAfterIsFieldFiveAndOmittedWhenZero() throws {
        let refused = ResponseEnvelope(callID: 1, status: .resourceExhausted, retryAfterMillis: 300)
        // call_id 1, status 8, retry_after_ms (field 5, varint) 300 = 0xAC 0x02.
        XCTAssertEqual(refused.serialized(), [0x08, 0x01, 0x10, 0x08, 0x28, 0xAC, 0x02])
        XCTAssertEqual(try ResponseEnvelope(serialized: refused.serialized()).retryAfterMillis, 300)
        XCTAssertEqual(ResponseEnvelope(callID: 1, status: .resourceExhausted).serialized(), [0x08, 0x01, 0x10, 0x08])
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
