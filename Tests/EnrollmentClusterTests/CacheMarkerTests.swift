import XCTest
@testable import EnrollmentCluster

final class CacheMarkerTests: XCTestCase {
    func testRoundTripThroughTheFile() throws {
        let directory = makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        XCTAssertNil(CacheMarker.read(directory: directory))
        let marker = CacheMarker(clusterID: "5b0f9a62-7c1e-4a3b-9d11-2f3c4d5e6f70", position: 42)
        try marker.write(directory: directory)
        XCTAssertEqual(CacheMarker.read(directory: directory), marker)
        try CacheMarker(clusterID: marker.clusterID, position: 43).write(directory: directory)
        XCTAssertEqual(CacheMarker.read(directory: directory)?.position, 43)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/CLUSTER.tmp"))
    }

    func testAnythingButACompleteMarkerIsRefused() {
        let good = CacheMarker(clusterID: "c", position: 7).encoded
        XCTAssertNotNil(CacheMarker(decoding: good))
        XCTAssertNil(CacheMarker(decoding: String(good.dropLast())))
        XCTAssertNil(CacheMarker(decoding: String(good.prefix(20))))
        XCTAssertNil(CacheMarker(decoding: good.replacingOccurrences(of: "position 7", with: "position -1")))
        XCTAssertNil(CacheMarker(decoding: good.replacingOccurrences(of: "position 7", with: "position x")))
        XCTAssertNil(CacheMarker(decoding: good.replacingOccurrences(of: "cache 1", with: "cache 2")))
        XCTAssertNil(CacheMarker(decoding: ""))
    }

    func testAGarbledFileReadsAsNoMarker() throws {
        let directory = makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data([0xff, 0x00, 0x13]).write(to: URL(fileURLWithPath: directory + "/CLUSTER"))
        XCTAssertNil(CacheMarker.read(directory: directory))
    }
}
