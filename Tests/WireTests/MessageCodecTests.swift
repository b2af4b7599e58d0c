import XCTest
@testable import Wire

final class MessageCodecTests: XCTestCase {
    private let face = FaceMessage(left: 258, top: 102, right: 422, bottom: 266, confidence: 1.114,
                                   landmarks: [[401, 151], [371, 151], [298, 152], [326, 152], [349, 207]])
    private let info = CallInfoMessage(requestID: "req-1", modelID: "dlib-resnet-v1", serverTimeMillis: 41.5)

    func testEnvelopesRoundTrip() throws {
        let request = RequestEnvelope(callID: 1 << 40, method: .verify, apiKey: "k3y", timeoutMillis: 2500,
                                      payload: [0, 1, 2, 255])
        XCTAssertEqual(try RequestEnvelope(serialized: request.serialized()), request)
        XCTAssertEqual(try RequestEnvelope(serialized: request.serialized()).method, .verify)
        let response = ResponseEnvelope(callID: 7, status: .resourceExhausted, message: "queue full")
        let decoded = try ResponseEnvelope(serialized: response.serialized())
        XCTAssertEqual(decoded, response)
        XCTAssertEqual(decoded.status, .resourceExhausted)
    }

    func testUnknownMethodIsKeptByName() throws {
        let request = RequestEnvelope(callID: 3, methodName: "Teleport", apiKey: "", timeoutMillis: 0, payload: [])
        let decoded = try RequestEnvelope(serialized: request.serialized())
        XCTAssertNil(decoded.method)
        XCTAssertEqual(decoded.methodName, "Teleport")
    }

    func testRequestsRoundTrip() throws {
        let compare = CompareRequestMessage(sourceImage: [1, 2, 3], targetImage: Array(repeating: 9, count: 70_000), vendorData: [5])
        XCTAssertEqual(try CompareRequestMessage(serialized: compare.serialized()), compare)
        let enroll = EnrollRequestMessage(subjectID: "émile-42", image: [4], vendorData: [], mode: .replace)
        XCTAssertEqual(try EnrollRequestMessage(serialized: enroll.serialized()), enroll)
        let verify = VerifyRequestMessage(subjectID: "s", image: [1], vendorData: [2])
        XCTAssertEqual(try VerifyRequestMessage(serialized: verify.serialized()), verify)
        let identify = IdentifyRequestMessage(image: [1, 2], topK: 50, minScore: 62.5)
        XCTAssertEqual(try IdentifyRequestMessage(serialized: identify.serialized()), identify)
        let delete = DeleteEnrollmentRequestMessage(subjectID: "gone")
        XCTAssertEqual(try DeleteEnrollmentRequestMessage(serialized: delete.serialized()), delete)
        XCTAssertEqual(try HealthRequestMessage(serialized: HealthRequestMessage().serialized()), HealthRequestMessage())
    }

    func testResponsesRoundTrip() throws {
        let warning = WarningMessage(risk: "MULTIPLE_FACES_DETECTED", logType: .information,
                                     shortDescription: "Multiple faces detected", longDescription: "2 faces; the largest was used.")
        let report = MatchReportMessage(status: .approved, score: 91.25, distance: 0.31, warnings: [warning],
                                        sourceFace: face, targetFace: nil, vendorData: [1, 2], info: info)
        XCTAssertEqual(try MatchReportMessage(serialized: report.serialized()), report)
        var noFace = report
        noFace.distance = nil
        noFace.status = .declined
        XCTAssertNil(try MatchReportMessage(serialized: noFace.serialized()).distance)
        let enroll = EnrollResultMessage(subjectID: "a", enrolled: true, face: face, facesDetected: 1, enrollmentCount: 3,
                                         warnings: [], vendorData: [], info: info)
        XCTAssertEqual(try EnrollResultMessage(serialized: enroll.serialized()), enroll)
        let identify = IdentifyResultMessage(candidates: [CandidateMessage(subjectID: "x", score: 88, distance: 0.4),
                                                          CandidateMessage(subjectID: "y", score: 51, distance: 0.59)],
                                             face: face, warnings: [warning], info: info)
        XCTAssertEqual(try IdentifyResultMessage(serialized: identify.serialized()), identify)
        let delete = DeleteEnrollmentResultMessage(subjectID: "a", deleted: true, info: info)
        XCTAssertEqual(try DeleteEnrollmentResultMessage(serialized: delete.serialized()), delete)
        let health = HealthResultMessage(serving: true, modelID: "m", subjects: 10, templates: 30, storeBytes: 1 << 33)
        XCTAssertEqual(try HealthResultMessage(serialized: health.serialized()), health)
    }

    func testGarbageIsATypedErrorNotACrash() {
        XCTAssertThrowsError(try RequestEnvelope(serialized: [0xFF, 0xFF, 0xFF])) { error in
            XCTAssertEqual(error as? WireDecodeError, .undecodable(message: "RequestEnvelope", bytes: 3))
        }
        // A length-delimited field claiming more bytes than follow.
        XCTAssertThrowsError(try CompareRequestMessage(serialized: [0x0A, 0x7F, 0x01]))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? RequestEnvelope(serialized: bytes)
            _ = try? MatchReportMessage(serialized: bytes)
            _ = try? IdentifyResultMessage(serialized: bytes)
        }
    }

    func testUnknownEnrollModeRefused() {
        // field 4 (mode), varint 7.
        XCTAssertThrowsError(try EnrollRequestMessage(serialized: [0x20, 0x07])) { error in
            XCTAssertEqual(error as? WireDecodeError, .invalidField("unknown enrol mode 7"))
        }
    }
}
