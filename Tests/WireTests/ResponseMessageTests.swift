import XCTest
@testable import Wire

/// The per-method response payloads (Sources/Wire/Responses) and `RPCResponse` over them.
final class ResponseMessageTests: XCTestCase {
    static let face = FaceMessage(left: 258, top: 102, right: 422, bottom: 266, confidence: 1.114,
                                  landmarks: [[401, 151], [371, 151], [298, 152], [326, 152], [349, 207]])
    static let info = CallInfoMessage(requestID: "req-1", modelID: "dlib-resnet-v1", serverTimeMillis: 41.5)
    static let warning = WarningMessage(risk: "MULTIPLE_FACES_DETECTED", logType: .information,
                                        shortDescription: "Multiple faces detected", longDescription: "2 faces; the largest was used.")

    func testEveryResponseRoundTrips() throws {
        let report = MatchReportMessage(status: .approved, score: 91.25, distance: 0.31, warnings: [Self.warning],
                                        sourceFace: Self.face, targetFace: nil, vendorData: [1, 2], info: Self.info)
        let responses: [RPCResponse] = [
            .compare(report),
            .verify(MatchReportMessage(status: .declined, score: 0, distance: nil,
                                       warnings: [WarningMessage(risk: "NO_REFERENCE_IMAGE", logType: .error,
                                                                 shortDescription: "s", longDescription: "l")],
                                       sourceFace: nil, targetFace: nil, vendorData: [], info: Self.info)),
            .enroll(EnrollResultMessage(subjectID: "a", enrolled: true, face: Self.face, facesDetected: 1, enrollmentCount: 3,
                                        warnings: [], vendorData: [7], info: Self.info)),
            .identify(IdentifyResultMessage(candidates: [CandidateMessage(subjectID: "x", score: 88, distance: 0.4),
                                                         CandidateMessage(subjectID: "y", score: 51, distance: 0.59)],
                                            face: Self.face, warnings: [Self.warning], info: Self.info)),
            .deleteEnrollment(DeleteEnrollmentResultMessage(subjectID: "a", deleted: true, info: Self.info)),
            .health(HealthResultMessage(serving: true, modelID: "m", subjects: 10, templates: 30, storeBytes: 1 << 33)),
        ]
        for response in responses {
            XCTAssertEqual(try RPCResponse(method: response.method, payload: response.serialized()), response)
        }
    }

    func testAbsentDistanceStaysAbsent() throws {
        let report = MatchReportMessage(status: .declined, score: 0, distance: nil, warnings: [], sourceFace: nil,
                                        targetFace: nil, vendorData: [], info: nil)
        let decoded = try MatchReportMessage(serialized: report.serialized())
        XCTAssertNil(decoded.distance)
        XCTAssertNil(decoded.sourceFace)
        XCTAssertNil(decoded.info)
        var zero = report
        zero.distance = 0
        XCTAssertEqual(try MatchReportMessage(serialized: zero.serialized()).distance, 0, "a zero distance is not an absent one")
    }

    func testUnknownEnumValuesDecodeAsUnspecified() throws {
        // MatchReport.status (field 1) = 9; a newer server's status must not break an old client.
        XCTAssertEqual(try MatchReportMessage(serialized: [0x08, 0x09]).status, .unspecified)
    }

    func testRandomBytesNeverCrashTheDecoders() {
        var generator = SplitMix64(seed: 7)
        var decoded = 0
        for _ in 0..<3000 {
            let bytes = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            for method in RPCMethod.allCases where (try? RPCResponse(method: method, payload: bytes)) != nil { decoded += 1 }
        }
        XCTAssertGreaterThan(decoded, 0, "some random inputs are valid messages; the decoders ran")
    }
}
