import NIOCore
import XCTest
@testable import Wire

/// The server's envelope reader: same answers as protobuf-c on valid envelopes, the payload left
/// in the frame, and a call id to answer whenever one can be read.
final class RequestEnvelopeViewTests: XCTestCase {
    private func view(_ bytes: [UInt8]) throws(RequestEnvelopeView.Failure) -> RequestEnvelopeView {
        try RequestEnvelopeView(frame: ByteBuffer(bytes: bytes))
    }

    func testAgreesWithTheProtobufDecoderOnEncodedEnvelopes() throws {
        var generator = SplitMix64(seed: 7)
        for method in RPCMethod.allCases.map(\.rawValue) + ["Teleport", ""] {
            let payload = (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let envelope = RequestEnvelope(callID: generator.next(), methodName: method, apiKey: "key-\(method)",
                                           timeoutMillis: UInt32(truncatingIfNeeded: generator.next()), payload: payload)
            let read = try view(envelope.serialized())
            XCTAssertEqual(read.callID, envelope.callID)
            XCTAssertEqual(read.methodName, envelope.methodName)
            XCTAssertEqual(read.apiKey, envelope.apiKey)
            XCTAssertEqual(read.timeoutMillis, envelope.timeoutMillis)
            XCTAssertEqual(Array(read.payload.readableBytesView), payload)
        }
    }

    func testPayloadIsASliceOfTheFrameNotACopy() throws {
        let payload = [UInt8](repeating: 0xAB, count: 10_000_000)
        let frame = ByteBuffer(bytes: RequestEnvelope(callID: 9, method: .compare, apiKey: "k", payload: payload).serialized())
        let read = try RequestEnvelopeView(frame: frame)
        let frameBase = frame.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let payloadBase = read.payload.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let offset = frame.readableBytes - payload.count
        XCTAssertEqual(payloadBase, frameBase + UInt(offset), "the payload points into the frame's own storage")
        XCTAssertEqual(read.payload.readableBytes, payload.count)
    }

    func testLastOccurrenceWinsAndUnknownFieldsAreSkipped() throws {
        // call_id 1, unknown field 9 (varint 5), call_id 2, unknown fixed64 field 10.
        let bytes: [UInt8] = [0x08, 0x01, 0x48, 0x05, 0x08, 0x02, 0x51] + Array(repeating: 0, count: 8)
        XCTAssertEqual(try view(bytes).callID, 2)
    }

    func testBadStringsKeepTheCallIDToAnswer() {
        // call_id 5, then method = "ab\0" (NUL).
        XCTAssertThrowsError(try view([0x08, 0x05, 0x12, 0x03, 0x61, 0x62, 0x00])) { error in
            XCTAssertEqual(error as? RequestEnvelopeView.Failure, .invalidString(callID: 5, field: "method"))
        }
        // api_key = 0xFF 0xFE (invalid UTF-8), before the call id.
        XCTAssertThrowsError(try view([0x1A, 0x02, 0xFF, 0xFE, 0x08, 0x06])) { error in
            XCTAssertEqual(error as? RequestEnvelopeView.Failure, .invalidString(callID: 6, field: "api_key"))
        }
        let longMethod = [UInt8](repeating: 0x61, count: RequestEnvelopeView.maxStringBytes + 1)
        let envelope = RequestEnvelope(callID: 8, methodName: String(decoding: longMethod, as: UTF8.self), apiKey: "k",
                                       timeoutMillis: 0, payload: [])
        XCTAssertThrowsError(try view(envelope.serialized())) { error in
            XCTAssertEqual(error as? RequestEnvelopeView.Failure,
                           .oversizeString(callID: 8, field: "method", bytes: longMethod.count))
        }
    }

    func testMalformedEnvelopesSayWhetherACallIDWasRead() {
        // call_id 3, then a length-delimited payload claiming 127 bytes that are not there.
        XCTAssertThrowsError(try view([0x08, 0x03, 0x2A, 0x7F, 0x01])) { error in
            XCTAssertEqual((error as? RequestEnvelopeView.Failure)?.callID, 3)
        }
        XCTAssertThrowsError(try view([0xFF, 0xFF, 0xFF])) { error in
            guard case .malformed(nil, _)? = error as? RequestEnvelopeView.Failure else {
                return XCTFail("garbage before any call id: \(error)")
            }
        }
        // call_id sent as length-delimited: the wrong wire type for a known field.
        XCTAssertThrowsError(try view([0x0A, 0x01, 0x00]))
        // A group (wire type 3).
        XCTAssertThrowsError(try view([0x0B]))
    }

    func testRandomBytesNeverCrashAndAgreeWithProtobufC() {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<5000 {
            let bytes = (0..<Int(generator.next() % 48)).map { _ in UInt8(truncatingIfNeeded: generator.next() % 64) }
            let ours = try? view(bytes)
            let theirs = try? RequestEnvelope(serialized: bytes)
            // Whatever protobuf-c accepts, the view reads the same way.
            if let theirs {
                XCTAssertEqual(ours?.callID, theirs.callID, "\(bytes)")
                XCTAssertEqual(ours?.methodName, theirs.methodName, "\(bytes)")
                XCTAssertEqual(ours.map { Array($0.payload.readableBytesView) }, theirs.payload, "\(bytes)")
            }
        }
    }
}
