import XCTest
@testable import Wire

final class AnswerStatementTests: XCTestCase {
    func testLayoutIsTagVersionThenLengthPrefixedFields() {
        let statement = AnswerStatement(method: .identify, callID: 0x0102_0304_0506_0708, serverUnixMillis: 0x1122_3344_5566_7788,
                                        requestID: "é", payload: [0xaa, 0xbb])
        var expected = Array("facematch-answer".utf8) + [1]
        expected += [0, 0, 0, 8] + Array("Identify".utf8)
        expected += [1, 2, 3, 4, 5, 6, 7, 8]
        expected += [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]
        expected += [0, 0, 0, 2, 0xc3, 0xa9]
        expected += [0, 0, 0, 2, 0xaa, 0xbb]
        XCTAssertEqual(statement.bytes(), expected)
    }

    func testMovingBytesBetweenFieldsChangesTheStatement() {
        // Without length prefixes "ab" + "c" and "a" + "bc" would concatenate alike.
        let one = AnswerStatement(method: .verify, callID: 1, serverUnixMillis: 2, requestID: "ab", payload: Array("c".utf8))
        let two = AnswerStatement(method: .verify, callID: 1, serverUnixMillis: 2, requestID: "a", payload: Array("bc".utf8))
        XCTAssertNotEqual(one.bytes(), two.bytes())
    }

    func testTheRequestIDIsReadFromThePayloadsCallInfo() throws {
        let result = EnrollResultMessage(subjectID: "s", enrolled: true, face: nil, facesDetected: 1, enrollmentCount: 1,
                                         warnings: [], vendorData: [],
                                         info: CallInfoMessage(requestID: "rid-9", modelID: "m", serverTimeMillis: 1))
        let statement = try AnswerStatement(method: .enroll, callID: 3, serverUnixMillis: 4, payload: result.serialized())
        XCTAssertEqual(statement.requestID, "rid-9")
        XCTAssertThrowsError(try AnswerStatement(method: .enroll, callID: 3, serverUnixMillis: 4, payload: [0xff, 0xff]))
    }

    func testEveryMethodButHealthIsSigned() {
        XCTAssertEqual(RPCMethod.allCases.filter(\.isSigned), [.compare, .enroll, .verify, .identify, .deleteEnrollment])
    }
}
