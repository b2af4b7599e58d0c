import Foundation
import XCTest
@testable import FaceNet

final class PipelineModelFileTests: XCTestCase {
    func testGenuineModelsVerify() throws {
        for file in ModelFile.all {
            XCTAssertNoThrow(try file.verify(PipelineFixtures.modelBytes(file.name)), file.name)
        }
    }

    func testTruncatedAndAlteredFilesAreRefusedWithTheirNumbers() throws {
        let file = ModelFile.shapePredictor
        var bytes = try PipelineFixtures.modelBytes(file.name)
        XCTAssertThrowsError(try file.verify(Array(bytes.dropLast(10)))) {
            XCTAssertEqual($0 as? FaceModelsError, .wrongSize(file: file.name, expected: 9_150_489, found: 9_150_479))
        }
        bytes[1000] ^= 0xFF
        XCTAssertThrowsError(try file.verify(bytes)) { error in
            guard case let .checksumMismatch(name, expected, found)? = error as? FaceModelsError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(name, file.name)
            XCTAssertEqual(expected, file.sha256)
            XCTAssertEqual(found.count, 64)
            XCTAssertNotEqual(found, expected)
        }
    }

    func testMissingDirectoryIsAClearError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("facematch-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        XCTAssertThrowsError(try FaceModels(directory: empty.path)) { error in
            XCTAssertEqual(error as? FaceModelsError, .missing(file: ModelFile.detector.name, directory: empty.path))
            XCTAssertTrue("\(error)".contains("scripts/setup.sh"))
        }
    }

    func testTruncatedFileInTheFolderIsRefusedBeforeParsing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facematch-trunc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let detector = try PipelineFixtures.modelBytes(ModelFile.detector.name)
        try Data(detector.prefix(1000)).write(to: dir.appendingPathComponent(ModelFile.detector.name))
        XCTAssertThrowsError(try FaceModels(directory: dir.path)) {
            XCTAssertEqual($0 as? FaceModelsError, .wrongSize(file: ModelFile.detector.name, expected: 729_940, found: 1000))
        }
    }

    func testDirectoryPrecedence() {
        XCTAssertEqual(FaceModels.directory(explicit: "/a", environment: ["FACEMATCH_MODEL_DIR": "/b"]), "/a")
        XCTAssertEqual(FaceModels.directory(explicit: nil, environment: ["FACEMATCH_MODEL_DIR": "/b"]), "/b")
        XCTAssertEqual(FaceModels.directory(explicit: nil, environment: [:]), "models")
    }
}
