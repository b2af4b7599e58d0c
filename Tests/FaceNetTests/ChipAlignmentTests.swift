import XCTest
@testable import FaceNet

final class ChipAlignmentTests: XCTestCase {
    func testChipsMatchDlibWithinTwoLevels() throws {
        var checked = 0
        for name in try PipelineFixtures.names() {
            let reference = try PipelineFixtures.reference(name)
            guard let chipInfo = reference.chip else { continue }
            let image = try PipelineFixtures.png(reference.input)
            let expected = try PipelineFixtures.png(chipInfo.file)
            let chip = try FaceAligner.chip(from: image, landmarks: reference.points,
                                            size: chipInfo.size, padding: chipInfo.padding)
            XCTAssertEqual(chip.width, expected.width, name)
            XCTAssertEqual(chip.height, expected.height, name)
            guard chip.pixels.count == expected.pixels.count else { continue }
            var total = 0
            for (a, b) in zip(chip.pixels, expected.pixels) { total += abs(Int(a) - Int(b)) }
            let meanAbs = Double(total) / Double(chip.pixels.count)
            XCTAssertLessThanOrEqual(meanAbs, 2, "\(name): mean absolute difference \(meanAbs)/255")
            checked += 1
        }
        XCTAssertEqual(checked, 12, "every reference image with a face is checked")
    }

    func testChipDetailsForATemplateFaceIsUnrotated() throws {
        // Landmarks placed exactly on the padded template, scaled by 2 and shifted: the chip
        // rectangle is 300 px wide, at angle 0, starting at the shift.
        let padding = 0.25, size = 150.0
        let landmarks = ChipDetails.meanFace.map { p in
            FacePoint(x: 10 + 2 * size * (padding + p.x) / (2 * padding + 1),
                      y: 20 + 2 * size * (padding + p.y) / (2 * padding + 1))
        }
        let details = try ChipDetails.face(landmarks: landmarks, size: 150, padding: padding)
        XCTAssertEqual(details.angle, 0, accuracy: 1e-12)
        XCTAssertEqual(details.right - details.left + 1, 300, accuracy: 1e-9)
        XCTAssertEqual((details.left + details.right) / 2, 10 + 150, accuracy: 1e-9)
        XCTAssertEqual((details.top + details.bottom) / 2, 20 + 150, accuracy: 1e-9)
    }

    func testRotatedLandmarksGiveTheirAngle() throws {
        let angle = 0.3
        let landmarks = ChipDetails.meanFace.map { p in
            FacePoint(x: 200 + 100 * (p.x * cos(angle) - p.y * sin(angle)),
                      y: 100 + 100 * (p.x * sin(angle) + p.y * cos(angle)))
        }
        let details = try ChipDetails.face(landmarks: landmarks, size: 150, padding: 0.25)
        XCTAssertEqual(details.angle, angle, accuracy: 1e-9)
    }

    func testBadLandmarksAreTypedErrors() {
        let image = RGBImage(width: 20, height: 20)
        XCTAssertThrowsError(try FaceAligner.chip(from: image, landmarks: [FacePoint(x: 1, y: 1)])) {
            XCTAssertEqual($0 as? FaceAlignmentError, .landmarkCount(1, expected: 5))
        }
        let same = Array(repeating: FacePoint(x: 5, y: 5), count: 5)
        XCTAssertThrowsError(try FaceAligner.chip(from: image, landmarks: same)) {
            XCTAssertEqual($0 as? FaceAlignmentError, .degenerateLandmarks)
        }
        let nan = Array(repeating: FacePoint(x: .nan, y: 5), count: 5)
        XCTAssertThrowsError(try FaceAligner.chip(from: image, landmarks: nan)) {
            XCTAssertEqual($0 as? FaceAlignmentError, .nonFiniteLandmarks)
        }
    }

    func testFaceOutsideTheImageGivesABlackChip() throws {
        let image = RGBImage(width: 30, height: 30, pixels: [UInt8](repeating: 200, count: 30 * 30 * 3))
        let far = ChipDetails.meanFace.map { FacePoint(x: 5000 + 100 * $0.x, y: 5000 + 100 * $0.y) }
        let chip = try FaceAligner.chip(from: image, landmarks: far)
        XCTAssertEqual(chip.width, 150)
        XCTAssertTrue(chip.pixels.allSatisfy { $0 == 0 })
    }

    func testPyramidDownKeepsAFlatImageFlatAndHalvesItsSize() {
        let image = RGBImage(width: 21, height: 13, pixels: [UInt8](repeating: 77, count: 21 * 13 * 3))
        let down = PyramidDown.halve(image)
        XCTAssertEqual(down.width, 9)
        XCTAssertEqual(down.height, 5)
        XCTAssertTrue(down.pixels.allSatisfy { $0 == 77 })
        XCTAssertEqual(PyramidDown.halve(RGBImage(width: 8, height: 100)).width, 0)
    }

    func testSimilarityRecoversAKnownTransform() throws {
        let from: [(x: Double, y: Double)] = [(0, 0), (1, 0), (0, 2), (3, 1)]
        let (a, b, tx, ty) = (1.5 * cos(0.4), 1.5 * sin(0.4), 7.0, -3.0)
        let to = from.map { (x: a * $0.x - b * $0.y + tx, y: b * $0.x + a * $0.y + ty) }
        let t = try XCTUnwrap(AffineTransform.similarity(from: from, to: to))
        XCTAssertEqual(t.m00, a, accuracy: 1e-12)
        XCTAssertEqual(t.m10, b, accuracy: 1e-12)
        XCTAssertEqual(t.tx, tx, accuracy: 1e-12)
        XCTAssertEqual(t.ty, ty, accuracy: 1e-12)
        XCTAssertNil(AffineTransform.similarity(from: [(0, 0)], to: [(1, 1)]))
    }
}
