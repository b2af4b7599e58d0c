import XCTest
@testable import EmbeddingStore

final class LogFormatTests: XCTestCase {
    func testTemplateRecordRoundTripsAndIsBoundToItsOffsetAndSalt() throws {
        let t = LogFormat.TemplateRecord(slot: 7, subject: Array("alice".utf8), vendorData: [1, 2, 3],
                                         createdAtMillis: 1_700_000_000_123, vectorChecksum: 0xABCD)
        var bytes = [UInt8](repeating: 0, count: 128)
        LogFormat.append(.template(t), common: .init(seq: 9, batchFirstSeq: 8, commit: true), offset: 128, salt: 42, to: &bytes)
        XCTAssertEqual(bytes.count % 64, 0)
        try bytes.withUnsafeBytes { raw in
            let parsed = try XCTUnwrap(LogFormat.parse(raw.baseAddress!, end: bytes.count, offset: 128, salt: 42))
            XCTAssertEqual(parsed.0, .init(seq: 9, batchFirstSeq: 8, commit: true))
            guard case let .template(v) = parsed.1 else { return XCTFail("kind") }
            XCTAssertEqual(v.slot, 7)
            XCTAssertEqual(Array(raw[v.subjectOffset..<(v.subjectOffset + v.subjectCount)]), Array("alice".utf8))
            XCTAssertEqual(Array(raw[v.vendorOffset..<(v.vendorOffset + v.vendorCount)]), [1, 2, 3])
            XCTAssertEqual(v.createdAtMillis, 1_700_000_000_123)
            XCTAssertNil(LogFormat.parse(raw.baseAddress!, end: bytes.count, offset: 128, salt: 43), "other salt")
            XCTAssertNil(LogFormat.parse(raw.baseAddress!, end: bytes.count - 1, offset: 128, salt: 42), "cut short")
        }
        // The same bytes copied to another offset do not validate there.
        let moved = [UInt8](repeating: 0, count: 64) + bytes
        moved.withUnsafeBytes { raw in XCTAssertNil(LogFormat.parse(raw.baseAddress!, end: moved.count, offset: 192, salt: 42)) }
    }

    func testHeaderRejectsDamage() throws {
        var h = LogFormat.encodeHeader(.init(dimension: 128, generation: 3, salt: 5, modelID: "m1"))
        try h.withUnsafeBytes { raw in
            XCTAssertEqual(try LogFormat.decodeHeader(raw.baseAddress!, count: h.count, file: "f"),
                           .init(dimension: 128, generation: 3, salt: 5, modelID: "m1"))
        }
        h[20] ^= 4
        try h.withUnsafeBytes { raw in
            XCTAssertThrowsError(try LogFormat.decodeHeader(raw.baseAddress!, count: h.count, file: "f")) { e in
                XCTAssertEqual(e as? StoreError, .corruptHeader(file: "f", reason: "header checksum mismatch"))
            }
        }
    }
}
