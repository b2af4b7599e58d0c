import XCTest
@testable import EnrollmentCluster

final class VectorBytesTests: XCTestCase {
    func testRoundTripIsBitExactAndLittleEndian() {
        let v: [Float] = [1, -0.5, .leastNonzeroMagnitude, 3.25e7]
        let bytes = VectorBytes.encode(v)
        XCTAssertEqual(bytes.count, 16)
        XCTAssertEqual(Array(bytes[0..<4]), [0x00, 0x00, 0x80, 0x3f])
        XCTAssertEqual(VectorBytes.decode(bytes)?.map(\.bitPattern), v.map(\.bitPattern))
    }

    func testAPartialValueIsRefused() {
        XCTAssertNil(VectorBytes.decode([0, 0, 0x80]))
        XCTAssertEqual(VectorBytes.decode([UInt8]()), [])
    }
}
