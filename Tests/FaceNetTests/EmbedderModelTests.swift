import Foundation
import XCTest
@testable import FaceNet

final class EmbedderModelTests: XCTestCase {
    private func modelBytes() throws -> [UInt8] {
        _ = try EmbedTestSupport.model()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: EmbedTestSupport.modelPath)))
    }

    func testReadsTheExpectedArchitecture() throws {
        let p = try ResNetModelReader.parse(bytes: modelBytes())
        XCTAssertEqual(p.convolutions.count, 29)
        XCTAssertEqual(p.convolutions.first?.spec, ConvSpec(outChannels: 32, inChannels: 3, kernelHeight: 7, kernelWidth: 7, strideY: 2, strideX: 2))
        XCTAssertEqual(p.convolutions.last?.spec, ConvSpec(outChannels: 256, inChannels: 256, kernelHeight: 3, kernelWidth: 3, padY: 1, padX: 1))
        XCTAssertEqual(p.fcInputs, 256)
        XCTAssertEqual(p.fcWeights.count, 256 * 128)
        XCTAssertEqual(p.meanRed, 122.782, accuracy: 1e-3)
        XCTAssertEqual(p.meanGreen, 117.001, accuracy: 1e-3)
        XCTAssertEqual(p.meanBlue, 104.298, accuracy: 1e-3)
    }

    func testTruncatedFileIsATypedError() throws {
        let bytes = try modelBytes()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facematch-truncated-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(EmbedderModel.fileName)
        try Data(bytes[..<(bytes.count / 2)]).write(to: path)
        // Loading from a folder checks size and SHA-256 before any parsing.
        XCTAssertThrowsError(try EmbedderModel(directory: directory.path)) { error in
            guard case .wrongSize = error as? FaceModelsError else { return XCTFail("\(error)") }
        }
        for length in [0, 1, 40, 5_000, bytes.count - 1] {
            XCTAssertThrowsError(try ResNetModelReader.parse(bytes: Array(bytes[..<length])), "prefix of \(length) bytes") { error in
                XCTAssertNotNil(error as? DlibModelError, "\(error)")
            }
        }
    }

    func testCorruptedLayerIsATypedError() throws {
        let bytes = try modelBytes()
        // Rename the first max_pool_2 to avg_pool_2 (same length): the wrong layer kind.
        var renamed = bytes
        let name = Array("max_pool_2".utf8)
        let at = try XCTUnwrap((0...(bytes.count - name.count)).first { Array(bytes[$0..<($0 + name.count)]) == name })
        renamed.replaceSubrange(at..<(at + 3), with: Array("avg".utf8))
        XCTAssertThrowsError(try ResNetModelReader.parse(bytes: renamed)) { error in
            guard case .malformed = error as? DlibModelError else { return XCTFail("\(error)") }
        }
        // Trailing garbage is refused too.
        XCTAssertThrowsError(try ResNetModelReader.parse(bytes: bytes + [0])) { error in
            guard case .unexpectedArchitecture = error as? DlibModelError else { return XCTFail("\(error)") }
        }
    }

    func testMissingFileIsATypedError() {
        XCTAssertThrowsError(try EmbedderModel(contentsOf: "/nonexistent/\(EmbedderModel.fileName)")) { error in
            guard case .fileUnreadable = error as? DlibModelError else { return XCTFail("\(error)") }
        }
    }

    func testWrongChipSizeAndSmallOutputAreTypedErrors() throws {
        let embedder = try FaceEmbedder(model: EmbedTestSupport.model())
        XCTAssertThrowsError(try embedder.embed(chip: RGBImage(width: 149, height: 150))) { error in
            XCTAssertEqual(error as? FaceEmbedderError, .wrongChipSize(width: 149, height: 150, expected: 150))
        }
        let small = UnsafeMutableBufferPointer<Float>.allocate(capacity: 64)
        defer { small.deallocate() }
        XCTAssertThrowsError(try embedder.embed(chip: RGBImage(width: 150, height: 150), into: small)) { error in
            XCTAssertEqual(error as? FaceEmbedderError, .outputTooSmall(capacity: 64, needed: 128))
        }
    }
}
