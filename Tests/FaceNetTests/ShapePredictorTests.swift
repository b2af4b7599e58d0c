import XCTest
@testable import FaceNet

final class ShapePredictorTests: XCTestCase {
    static let modelName = "shape_predictor_5_face_landmarks.dat"

    func testModelStructure() throws {
        let model = try ShapePredictorModel(bytes: PipelineFixtures.modelBytes(Self.modelName))
        XCTAssertEqual(model.partCount, 5)
        XCTAssertEqual(model.initialShape.count, 10)
        XCTAssertFalse(model.cascades.isEmpty)
        for cascade in model.cascades {
            XCTAssertGreaterThan(cascade.treeCount, 0)
            XCTAssertEqual(cascade.deltas.count, 2 * cascade.anchors.count)
        }
    }

    func testLandmarksMatchDlibWithinOneAndAHalfPixels() throws {
        let predictor = try ShapePredictor(bytes: PipelineFixtures.modelBytes(Self.modelName))
        var checked = 0, worst = 0.0
        for name in try PipelineFixtures.names() {
            let reference = try PipelineFixtures.reference(name)
            guard let box = reference.box else { continue }
            let image = try PipelineFixtures.png(reference.input)
            let found = predictor.landmarks(in: image, box: box)
            XCTAssertEqual(found.count, 5, name)
            for (p, q) in zip(found, reference.points) {
                let error = ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
                worst = max(worst, error)
                XCTAssertLessThanOrEqual(error, 1.5, "\(name): \(p) vs dlib \(q)")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 12, "every reference image with a face is checked")
    }

    func testBoxOutsideImageReadsBlackAndStillAnswers() throws {
        let predictor = try ShapePredictor(bytes: PipelineFixtures.modelBytes(Self.modelName))
        let image = RGBImage(width: 10, height: 10)
        let box = FaceBox(left: 1000, top: 1000, right: 1100, bottom: 1100)
        let points = predictor.landmarks(in: image, box: box)
        XCTAssertEqual(points.count, 5)
        XCTAssertTrue(points.allSatisfy { $0.x >= 1000 - 50 && $0.x <= 1100 + 50 })
    }

    func testTruncatedModelIsATypedError() throws {
        let bytes = try PipelineFixtures.modelBytes(Self.modelName)
        for length in [0, 1, 40, bytes.count / 2, bytes.count - 1] {
            XCTAssertThrowsError(try ShapePredictorModel(bytes: Array(bytes.prefix(length))), "length \(length)") { error in
                XCTAssertTrue(error is DlibModelError, "length \(length): \(error)")
            }
        }
    }

    func testWrongVersionAndInconsistentTreesAreRefused() throws {
        var bytes = try PipelineFixtures.modelBytes(Self.modelName)
        // The file starts with the version as a one-byte integer: control 0x01, value 0x01.
        XCTAssertEqual(Array(bytes.prefix(2)), [0x01, 0x01])
        bytes[1] = 2
        XCTAssertThrowsError(try ShapePredictorModel(bytes: bytes)) { error in
            XCTAssertEqual(error as? DlibModelError, .malformed("shape_predictor version 2, expected 1", at: 0))
        }
        // Another file (the detector) is not a shape predictor.
        let other = try PipelineFixtures.modelBytes("mmod_human_face_detector.dat")
        XCTAssertThrowsError(try ShapePredictorModel(bytes: other)) { XCTAssertTrue($0 is DlibModelError) }
    }
}
