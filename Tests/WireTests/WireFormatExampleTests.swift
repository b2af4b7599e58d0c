import Foundation
import NIOCore
import XCTest
@testable import Wire

/// docs/wire-format.md shows frames as hex; they must be what this encoder writes.
final class WireFormatExampleTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
    }

    private func documentedLines() throws -> [String] {
        let doc = try String(contentsOf: Self.repository.appendingPathComponent("docs/wire-format.md"), encoding: .utf8)
        return doc.split(separator: "\n").map(String.init)
    }

    func testHealthExampleFramesAreTheEncodersBytes() throws {
        let request = RequestEnvelope(callID: 1, request: .health(HealthRequestMessage()), apiKey: "dev-key", timeoutMillis: 5000)
        let requestFrame = FrameEncoder.frame(body: request.serialized())
        let health = HealthResultMessage(serving: true, modelID: "dlib-resnet-v1", subjects: 2, templates: 3, storeBytes: 4096)
        let responseFrame = FrameEncoder.frame(body: ResponseEnvelope(callID: 1, status: .ok, payload: health.serialized()).serialized())
        let errorFrame = FrameEncoder.frame(body: ResponseEnvelope(callID: 2, status: .unauthenticated,
                                                                   message: "unknown API key").serialized())

        let lines = try documentedLines()
        XCTAssertTrue(lines.contains("request frame: " + hex(requestFrame)), "docs show \(hex(requestFrame))?")
        XCTAssertTrue(lines.contains("response frame: " + hex(responseFrame)), "docs show \(hex(responseFrame))?")
        XCTAssertTrue(lines.contains("error frame: " + hex(errorFrame)), "docs show \(hex(errorFrame))?")
    }

    func testDocumentedRequestDecodesBackToTheCall() throws {
        let line = try XCTUnwrap(documentedLines().first { $0.hasPrefix("request frame: ") })
        let bytes = line.dropFirst("request frame: ".count).split(separator: " ").compactMap { UInt8($0, radix: 16) }
        var buffer = ByteBuffer(bytes: bytes)
        let body = try XCTUnwrap(try FrameDecoder.nextFrame(from: &buffer, maxFrameBytes: WireLimits.defaultMaxFrameBytes))
        XCTAssertEqual(buffer.readableBytes, 0)
        let call = try RequestEnvelopeView(frame: body)
        XCTAssertEqual(call.callID, 1)
        XCTAssertEqual(call.method, .health)
        XCTAssertEqual(call.apiKey, "dev-key")
        XCTAssertEqual(call.timeoutMillis, 5000)
        XCTAssertEqual(try RPCRequest(method: .health, payload: Array(call.payload.readableBytesView)),
                       .health(HealthRequestMessage()))
    }
}
