import XCTest
@testable import Wire

final class RequestEnvelopeTests: XCTestCase {
    func testRoundTrip() throws {
        let request = RequestEnvelope(callID: 1 << 40, method: .verify, apiKey: "k3y", timeoutMillis: 2500, payload: [0, 1, 2, 255])
        let decoded = try RequestEnvelope(serialized: request.serialized())
        XCTAssertEqual(decoded, request)
        XCTAssertEqual(decoded.method, .verify)
    }

    func testEveryMethodRoundTripsByName() throws {
        for method in RPCMethod.allCases {
            let request = RequestEnvelope(callID: 5, method: method, apiKey: "k", payload: [])
            XCTAssertEqual(try RequestEnvelope(serialized: request.serialized()).method, method)
        }
    }

    func testUnknownMethodIsKeptByName() throws {
        let request = RequestEnvelope(callID: 3, methodName: "Teleport", apiKey: "", timeoutMillis: 0, payload: [])
        let decoded = try RequestEnvelope(serialized: request.serialized())
        XCTAssertNil(decoded.method)
        XCTAssertEqual(decoded.methodName, "Teleport")
    }

    func testEmptyBodyIsAnAllDefaultsEnvelope() throws {
        let decoded = try RequestEnvelope(serialized: [])
        XCTAssertEqual(decoded, RequestEnvelope(callID: 0, methodName: "", apiKey: "", timeoutMillis: 0, payload: []))
    }

    func testGarbageIsATypedError() {
        XCTAssertThrowsError(try RequestEnvelope(serialized: [0xFF, 0xFF, 0xFF])) { error in
            XCTAssertEqual(error as? WireDecodeError, .undecodable(message: "RequestEnvelope", bytes: 3))
        }
        // An 11-byte varint for call_id.
        XCTAssertThrowsError(try RequestEnvelope(serialized: [0x08] + Array(repeating: 0x80, count: 10) + [0x01]))
        // A length-delimited payload claiming more bytes than follow.
        XCTAssertThrowsError(try RequestEnvelope(serialized: [0x2A, 0x7F, 0x01]))
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let bytes = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? RequestEnvelope(serialized: bytes)
        }
    }

    func testKeyWithNulOrInvalidUTF8IsRefused() {
        // api_key (field 3) = "ab\0cd": protobuf-c alone would hand back "ab".
        XCTAssertThrowsError(try RequestEnvelope(serialized: [0x1A, 0x05, 0x61, 0x62, 0x00, 0x63, 0x64])) { error in
            XCTAssertEqual(error as? WireDecodeError, .invalidString(message: "RequestEnvelope", field: 3, bytes: 5))
        }
        // method (field 2) = 0xFF 0xFE.
        XCTAssertThrowsError(try RequestEnvelope(serialized: [0x12, 0x02, 0xFF, 0xFE])) { error in
            XCTAssertEqual(error as? WireDecodeError, .invalidString(message: "RequestEnvelope", field: 2, bytes: 2))
        }
    }
}
