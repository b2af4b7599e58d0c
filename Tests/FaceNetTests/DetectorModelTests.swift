import XCTest
@testable import FaceNet

final class DetectorModelTests: XCTestCase {
    func testParsesTheFaceDetectorModel() throws {
        let model = try DetectorModel(bytes: DetectTestSupport.detectorModelBytes())
        XCTAssertEqual(model.options.detectorWindows, [MMODOptions.DetectorWindow(width: 80, height: 80, label: "")])
        XCTAssertEqual(model.options.overlapsNMS.iouThreshold, 0.33828, accuracy: 1e-5)
        XCTAssertEqual(model.options.overlapsNMS.percentCoveredThreshold, 1)
        XCTAssertFalse(model.options.useBoundingBoxRegression)
        XCTAssertEqual(model.input, PyramidInputSettings(averageRed: 122.782, averageGreen: 117.001, averageBlue: 104.298,
                                                         padding: 10, outerPadding: 11))
        XCTAssertEqual(model.layers.map(\.outChannels), [16, 32, 32, 45, 45, 45, 1])
        XCTAssertEqual(model.layers.map(\.inChannels), [3, 16, 32, 32, 45, 45, 45])
        XCTAssertEqual(model.layers.map(\.kernel), [5, 5, 5, 5, 5, 5, 9])
        XCTAssertEqual(model.layers.map(\.stride), [2, 2, 2, 1, 1, 1, 1])
        XCTAssertEqual(model.layers.map(\.relu), [true, true, true, true, true, true, false])
        for layer in model.layers {
            XCTAssertEqual(layer.weights.count, layer.outChannels * layer.inChannels * layer.kernel * layer.kernel)
            XCTAssertTrue(layer.weights.allSatisfy(\.isFinite))
            XCTAssertTrue(layer.bias.allSatisfy(\.isFinite))
        }
        XCTAssertEqual(model.windowSize, 80)
    }

    func testEveryTruncationIsATypedError() throws {
        let bytes = try DetectTestSupport.detectorModelBytes()
        // Cut points across the header, the options, the layer table and inside weights.
        var cuts = Array(0..<200) + [bytes.count / 3, bytes.count / 2, bytes.count - 5, bytes.count - 1]
        cuts += stride(from: 200, to: bytes.count, by: 9973)
        for cut in cuts {
            XCTAssertThrowsError(try DetectorModel(bytes: Array(bytes[0..<cut])), "cut at \(cut)") { error in
                XCTAssertTrue(error is DlibModelError, "cut at \(cut): \(error)")
            }
        }
    }

    func testCorruptBytesAreATypedErrorNeverACrash() throws {
        let bytes = try DetectTestSupport.detectorModelBytes()
        var generator = SystemRandomNumberGenerator()
        var rejected = 0
        for position in Array(0..<120) + (0..<200).map({ _ in Int.random(in: 0..<4000, using: &generator) }) {
            var corrupt = bytes
            corrupt[position] ^= 0xA5
            do {
                _ = try DetectorModel(bytes: corrupt)
            } catch {
                XCTAssertTrue(error is DlibModelError, "flip at \(position): \(error)")
                rejected += 1
            }
        }
        XCTAssertGreaterThan(rejected, 100)
    }

    func testTrailingBytesAndOtherFilesAreRejected() throws {
        let bytes = try DetectTestSupport.detectorModelBytes()
        XCTAssertThrowsError(try DetectorModel(bytes: bytes + [0])) { XCTAssertTrue($0 is DlibModelError) }
        XCTAssertThrowsError(try DetectorModel(bytes: [])) { XCTAssertEqual($0 as? DlibModelError, .truncated(at: 0)) }
        let other = DetectTestSupport.root.appendingPathComponent("models/shape_predictor_5_face_landmarks.dat").path
        XCTAssertThrowsError(try DetectorModel(contentsOf: other)) { XCTAssertTrue($0 is DlibModelError) }
        XCTAssertThrowsError(try DetectorModel(contentsOf: "/nonexistent/model.dat")) { error in
            guard case .fileUnreadable = error as? DlibModelError else { return XCTFail("\(error)") }
        }
    }
}
