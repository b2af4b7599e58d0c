import Foundation
import XCTest
@testable import MatchRPC

final class DevelopmentKeyTests: XCTestCase {
    func testCreatesAPrivateKeyFileOnceAndReusesIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DevelopmentKey.loadOrCreate(directory: directory)
        XCTAssertTrue(first.created)
        XCTAssertEqual(first.path, directory + "/dev-api-key")
        XCTAssertEqual(first.key.count, 64)
        let attributes = try FileManager.default.attributesOfItem(atPath: first.path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)

        let second = try DevelopmentKey.loadOrCreate(directory: directory)
        XCTAssertFalse(second.created)
        XCTAssertEqual(second.key, first.key)
    }

    func testKeysAreRandom() {
        XCTAssertNotEqual(DevelopmentKey.newKey(), DevelopmentKey.newKey())
    }

    func testEmptyKeyFileIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/dev-api-key", contents: Data("\n".utf8)))
        XCTAssertThrowsError(try DevelopmentKey.loadOrCreate(directory: directory)) { error in
            XCTAssertEqual(error as? DevelopmentKey.Failure, .empty(path: directory + "/dev-api-key"))
        }
    }
}
