import Foundation
import XCTest
@testable import FaceNet

/// Quality measures on the fixtures' reference landmarks and chips (dlib's own, Tests/Fixtures/reference),
/// and on controlled changes of them: each measure must move the way its warning assumes.
final class FaceQualityTests: XCTestCase {
    private func measured(_ name: String, chip: ((RGBImage) -> RGBImage)? = nil,
                          landmarks: (([FacePoint]) -> [FacePoint])? = nil) throws -> FaceQuality {
        let reference = try PipelineFixtures.reference(name)
        var image = try PipelineFixtures.png(try XCTUnwrap(reference.chip?.file, name))
        if let chip { image = chip(image) }
        let points = landmarks?(reference.points) ?? reference.points
        return FaceQualityMeasure.measure(landmarks: points, chip: image, imageWidth: reference.width, imageHeight: reference.height)
    }

    func testEyeDistanceFollowsTheFaceSizeInImagePixels() throws {
        let large = try measured("obama"), small = try measured("obama_small")
        XCTAssertEqual(large.eyeDistance, 74, accuracy: 3)
        XCTAssertEqual(small.eyeDistance, 48.5, accuracy: 3)
        XCTAssertLessThan(try measured("obama3").eyeDistance, 45)
    }

    func testUprightFrontalFacesHaveSmallPoseAngles() throws {
        for name in ["obama", "obama2", "biden", "astronaut"] {
            let q = try measured(name)
            XCTAssertLessThan(abs(q.rollDegrees), 15, name)
            XCTAssertLessThan(abs(q.yawDegrees), 20, name)
        }
    }

    func testRollIsTheEyeLineAngle() throws {
        let upright = try measured("obama")
        let tilted = try measured("obama", landmarks: { points in
            let c = points[4], a = 20 * Double.pi / 180
            return points.map { p in
                FacePoint(x: c.x + cos(a) * (p.x - c.x) - sin(a) * (p.y - c.y), y: c.y + sin(a) * (p.x - c.x) + cos(a) * (p.y - c.y))
            }
        })
        XCTAssertEqual(tilted.rollDegrees - upright.rollDegrees, 20, accuracy: 0.01)
        XCTAssertEqual(tilted.eyeDistance, upright.eyeDistance, accuracy: 1e-6)
    }

    func testYawGrowsAsTheNoseMovesOffTheEyesMidline() throws {
        let frontal = try measured("obama")
        let turned = try measured("obama", landmarks: { points in
            let eyes = (points[0].x + points[1].x - points[2].x - points[3].x) / 2
            var moved = points
            moved[4].x += 0.6 * eyes
            return moved
        })
        XCTAssertGreaterThan(abs(turned.yawDegrees), abs(frontal.yawDegrees) + 30)
    }

    func testBlurLowersSharpness() throws {
        let sharp = try measured("obama")
        let blurred = try measured("obama", chip: { Self.boxBlur($0, radius: 2) })
        XCTAssertLessThan(blurred.sharpness, sharp.sharpness / 4)
    }

    func testExposureMeasures() throws {
        let normal = try measured("obama")
        XCTAssertGreaterThan(normal.brightness, 60)
        XCTAssertLessThan(normal.brightness, 200)
        let dark = try measured("obama", chip: { chip in
            RGBImage(width: chip.width, height: chip.height, pixels: chip.pixels.map { $0 / 8 })
        })
        XCTAssertLessThan(dark.brightness, 25)
        XCTAssertGreaterThan(dark.darkFraction, normal.darkFraction)
        let bright = try measured("obama", chip: { chip in
            RGBImage(width: chip.width, height: chip.height, pixels: chip.pixels.map { UInt8(min(255, Int($0) * 3)) })
        })
        XCTAssertGreaterThan(bright.brightFraction, 0.3)
    }

    func testFaceCutByTheBorderIsMeasured() throws {
        XCTAssertEqual(try measured("obama").outsideFraction, 0)
        XCTAssertGreaterThan(try measured("obama_partial_face").outsideFraction, 0.05)
    }

    func testMirrorTwiceIsTheChipAndJittersStayClose() throws {
        let chip = try PipelineFixtures.png("obama_chip.png")
        let mirrored = ChipVariants.mirrored(chip)
        XCTAssertNotEqual(mirrored, chip)
        XCTAssertEqual(ChipVariants.mirrored(mirrored), chip)
        XCTAssertEqual(mirrored.pixels[0..<3], chip.pixels[chip.index(x: chip.width - 1, y: 0)..<chip.index(x: chip.width - 1, y: 0) + 3])

        let details = try ChipDetails.face(landmarks: try PipelineFixtures.reference("obama").points, size: 150, padding: 0.25)
        let side = details.right - details.left
        for index in 0..<8 {
            let j = ChipVariants.jittered(details, index: index)
            XCTAssertEqual(j, ChipVariants.jittered(details, index: index), "jitters repeat")
            XCTAssertLessThanOrEqual(abs(j.angle - details.angle), 3 * Double.pi / 180 + 1e-9)
            XCTAssertLessThanOrEqual(abs((j.left + j.right) / 2 - (details.left + details.right) / 2), 0.02 * side + 1e-9)
            XCTAssertGreaterThanOrEqual(j.right - j.left, side - 1e-9)
            XCTAssertLessThanOrEqual(j.right - j.left, side / 0.97 + 1e-9)
        }
        XCTAssertNotEqual(ChipVariants.jittered(details, index: 0), ChipVariants.jittered(details, index: 1))
    }

    private static func boxBlur(_ image: RGBImage, radius: Int) -> RGBImage {
        var out = image
        for y in 0..<image.height {
            for x in 0..<image.width {
                for c in 0..<3 {
                    var sum = 0, n = 0
                    for dy in -radius...radius {
                        for dx in -radius...radius {
                            let xx = x + dx, yy = y + dy
                            guard xx >= 0, yy >= 0, xx < image.width, yy < image.height else { continue }
                            sum += Int(image.pixels[image.index(x: xx, y: yy) + c])
                            n += 1
                        }
                    }
                    out.pixels[out.index(x: x, y: y) + c] = UInt8(sum / n)
                }
            }
        }
        return out
    }
}
