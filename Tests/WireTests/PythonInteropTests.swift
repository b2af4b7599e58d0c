import Foundation
import NIOCore
import XCTest
@testable import Wire

/// Frames the Python client (Tests/python, protoc-generated code) wrote into Tests/python/fixtures; regenerate
/// with `Tests/python/run_python_client.sh --interop-check --write-fixtures`. The Swift decoder must read them,
/// and the Swift encoder must write the very same bytes for the same call.
final class PythonInteropTests: XCTestCase {
    private func body(_ name: String) throws -> [UInt8] {
        let url = WireFormatExampleTests.repository.appendingPathComponent("Tests/python/fixtures/\(name)")
        var buffer = ByteBuffer(bytes: try Data(contentsOf: url))
        let body = try XCTUnwrap(try FrameDecoder.nextFrame(from: &buffer, maxFrameBytes: WireLimits.defaultMaxFrameBytes))
        XCTAssertEqual(buffer.readableBytes, 0, "\(name) holds exactly one frame")
        return Array(body.readableBytesView)
    }

    /// Reads the frame body as the server does: the envelope view, then the payload as its method's request.
    private func assertServerReads(_ bytes: [UInt8], as expected: RequestEnvelope, _ request: RPCRequest,
                                   file: StaticString = #filePath, line: UInt = #line) throws {
        let view = try RequestEnvelopeView(frame: ByteBuffer(bytes: bytes))
        XCTAssertEqual(view.callID, expected.callID, file: file, line: line)
        XCTAssertEqual(view.methodName, expected.methodName, file: file, line: line)
        XCTAssertEqual(view.apiKey, expected.apiKey, file: file, line: line)
        XCTAssertEqual(view.timeoutMillis, expected.timeoutMillis, file: file, line: line)
        let method = try XCTUnwrap(view.method, file: file, line: line)
        XCTAssertEqual(try RPCRequest(method: method, payload: Array(view.payload.readableBytesView)), request,
                       file: file, line: line)
    }

    private let source: [UInt8] = [0xFF, 0xD8, 0xFF] + Array(" source image".utf8)
    private let target: [UInt8] = [0x89] + Array("PNG target image".utf8)

    func testPythonCompareRequest() throws {
        let bytes = try body("python-compare.frame")
        let compare = CompareRequestMessage(sourceImage: source, targetImage: target)
        let expected = RequestEnvelope(callID: 1, request: .compare(compare), apiKey: "py-key", timeoutMillis: 30000)
        try assertServerReads(bytes, as: expected, .compare(compare))
        XCTAssertEqual(expected.serialized(), bytes, "Swift and Python encode the same call to the same bytes")
    }

    func testPythonVerifyRequest() throws {
        let bytes = try body("python-verify.frame")
        let verify = VerifyRequestMessage(subjectID: "subject-é", image: source)
        let expected = RequestEnvelope(callID: 2, request: .verify(verify), apiKey: "py-key", timeoutMillis: 30000)
        try assertServerReads(bytes, as: expected, .verify(verify))
        XCTAssertEqual(expected.serialized(), bytes)
    }

    func testPythonMatchReportResponse() throws {
        let envelope = try ResponseEnvelope(serialized: try body("python-report-response.frame"))
        XCTAssertEqual(envelope.callID, 9)
        XCTAssertEqual(envelope.status, .ok)
        guard case let .compare(report) = try RPCResponse(method: .compare, payload: envelope.payload) else {
            return XCTFail("a Compare payload decodes as .compare")
        }
        let landmarks = (0..<5).map { [Double($0), Double($0) + 0.5] }
        XCTAssertEqual(report, MatchReportMessage(
            status: .inReview, score: 61.5, distance: 0.52,
            warnings: [WarningMessage(risk: "LOW_FACE_MATCH_SIMILARITY", logType: .warning, shortDescription: "Low similarity",
                                      longDescription: "Between the thresholds.")],
            sourceFace: FaceMessage(left: 1, top: 2, right: 3, bottom: 4, confidence: 0.5, landmarks: landmarks),
            targetFace: nil, vendorData: [1, 2], info: CallInfoMessage(requestID: "r-9", modelID: "m", serverTimeMillis: 12.25)))
    }
}
