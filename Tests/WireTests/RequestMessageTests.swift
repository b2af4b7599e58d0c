import XCTest
@testable import Wire

/// The per-method request payloads (Sources/Wire/Requests) and `RPCRequest` over them.
final class RequestMessageTests: XCTestCase {
    static let all: [RPCRequest] = [
        .compare(CompareRequestMessage(sourceImage: [1, 2, 3], targetImage: Array(repeating: 9, count: 70_000), vendorData: [5])),
        .enroll(EnrollRequestMessage(subjectID: "émile-42", image: [4], vendorData: [], mode: .replace)),
        .verify(VerifyRequestMessage(subjectID: "s", image: [1], vendorData: [2])),
        .identify(IdentifyRequestMessage(image: [1, 2], topK: 50, minScore: 62.5)),
        .deleteEnrollment(DeleteEnrollmentRequestMessage(subjectID: "gone")),
        .health(HealthRequestMessage()),
    ]

    func testEveryRequestRoundTrips() throws {
        for request in Self.all {
            XCTAssertEqual(try RPCRequest(method: request.method, payload: request.serialized()), request)
        }
        XCTAssertEqual(Set(Self.all.map(\.method)), Set(RPCMethod.allCases))
    }

    func testDefaultsDecodeFromEmptyPayloads() throws {
        XCTAssertEqual(try EnrollRequestMessage(serialized: []), EnrollRequestMessage(subjectID: "", image: [], mode: .append))
        XCTAssertEqual(try IdentifyRequestMessage(serialized: []), IdentifyRequestMessage(image: [], topK: 0, minScore: 0))
    }

    func testUnknownEnrollModeRefused() {
        // field 4 (mode), varint 7.
        XCTAssertThrowsError(try EnrollRequestMessage(serialized: [0x20, 0x07])) { error in
            XCTAssertEqual(error as? WireDecodeError, .invalidField("unknown enrol mode 7"))
        }
    }

    func testSubjectIDsMustBeCleanUTF8() {
        // "a\0b" and an invalid byte in subject_id (field 1): two ids protobuf-c would blur.
        for bytes: [UInt8] in [[0x0A, 0x03, 0x61, 0x00, 0x62], [0x0A, 0x01, 0xC0]] {
            XCTAssertThrowsError(try VerifyRequestMessage(serialized: bytes))
            XCTAssertThrowsError(try EnrollRequestMessage(serialized: bytes))
            XCTAssertThrowsError(try DeleteEnrollmentRequestMessage(serialized: bytes)) { error in
                XCTAssertEqual((error as? WireDecodeError)?.statusCode, .invalidArgument)
            }
        }
    }

    func testTruncatedImageFieldRefused() {
        // image (field 2) announces 127 bytes, 1 follows.
        XCTAssertThrowsError(try CompareRequestMessage(serialized: [0x12, 0x7F, 0x01])) { error in
            XCTAssertEqual(error as? WireDecodeError, .undecodable(message: "CompareRequest", bytes: 3))
        }
    }

    func testPayloadOfAnotherMethodWithWrongWireTypesRefused() {
        // An IdentifyRequest with min_score (field 3, double) decoded as a VerifyRequest, whose
        // field 3 is bytes: wire type 1 where 2 is expected.
        let identify = IdentifyRequestMessage(image: [], topK: 0, minScore: 1).serialized()
        XCTAssertThrowsError(try VerifyRequestMessage(serialized: identify))
    }
}
