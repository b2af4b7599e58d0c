import XCTest
@testable import Wire

final class RPCStatusCodeTests: XCTestCase {
    func testNumbersAreGRPCs() {
        let grpc: [(RPCStatusCode, UInt32, String)] = [
            (.ok, 0, "OK"), (.invalidArgument, 3, "INVALID_ARGUMENT"), (.deadlineExceeded, 4, "DEADLINE_EXCEEDED"),
            (.notFound, 5, "NOT_FOUND"), (.resourceExhausted, 8, "RESOURCE_EXHAUSTED"), (.unimplemented, 12, "UNIMPLEMENTED"),
            (.internal, 13, "INTERNAL"), (.unavailable, 14, "UNAVAILABLE"), (.dataLoss, 15, "DATA_LOSS"),
            (.unauthenticated, 16, "UNAUTHENTICATED"),
        ]
        for (code, number, name) in grpc {
            XCTAssertEqual(code.rawValue, number)
            XCTAssertEqual(code.name, name)
        }
        XCTAssertEqual(RPCStatusCode.allCases.map(\.rawValue), Array(0...16))
    }
}
