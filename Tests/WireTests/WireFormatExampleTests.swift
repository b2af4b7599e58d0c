import XCTest
@testable import Wire

/// Pins the worked example in docs/wire-format.md to what the encoder really writes.
final class WireFormatExampleTests: XCTestCase {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined(separator: " ") }

    func testHealthRequestFrame() {
        let envelope = RequestEnvelope(callID: 1, method: .health, apiKey: "k", timeoutMillis: 1000,
                                       payload: HealthRequestMessage().serialized())
        XCTAssertEqual(hex(FrameEncoder.frame(body: envelope.serialized())),
                       "00 00 00 10 08 01 12 06 48 65 61 6c 74 68 1a 01 6b 20 e8 07")
    }

    func testHealthResponseFrame() throws {
        let result = HealthResultMessage(serving: true, modelID: "m", subjects: 0, templates: 0, storeBytes: 0)
        let envelope = ResponseEnvelope(callID: 1, status: .ok, payload: result.serialized())
        let frame = FrameEncoder.frame(body: envelope.serialized())
        XCTAssertEqual(hex(frame), "00 00 00 09 08 01 22 05 08 01 12 01 6d")
        let decoded = try ResponseEnvelope(serialized: Array(frame.dropFirst(4)))
        XCTAssertEqual(try HealthResultMessage(serialized: decoded.payload), result)
    }

    func testErrorResponseFrame() {
        let envelope = ResponseEnvelope(callID: 2, status: .unauthenticated, message: "unknown API key")
        XCTAssertEqual(hex(FrameEncoder.frame(body: envelope.serialized())),
                       "00 00 00 15 08 02 10 10 1a 0f 75 6e 6b 6e 6f 77 6e 20 41 50 49 20 6b 65 79")
    }
}
