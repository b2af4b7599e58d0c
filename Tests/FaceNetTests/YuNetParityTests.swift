@testable import FaceNet
import XCTest

/// YuNet on our engine against OpenCV's FaceDetectorYN on the same working images.
final class YuNetParityTests: XCTestCase {
    func testBoxesAndLandmarksWithinOnePixelOfFaceDetectorYN() throws {
        let detector = try YuNetDetector(model: Model2Fixtures.yunetModel(), threads: 1)
        var compared = 0
        for name in try Model2Fixtures.names() {
            let reference = try Model2Fixtures.reference(name)
            let image = try Model2Fixtures.png(reference.image)
            XCTAssertEqual([image.width, image.height], [reference.width, reference.height], name)
            let faces = try detector.detect(image, options: .init(scoreThreshold: 0.5))
            XCTAssertEqual(faces.count, reference.faces.count, "\(name): faces found")
            var worstBox: Float = 0, worstLandmark: Float = 0, worstScore: Float = 0
            for expected in reference.faces {
                let found = faces.min { boxDistance($0, expected) < boxDistance($1, expected) }
                guard let found else { XCTFail("\(name): a reference face has no counterpart"); continue }
                worstBox = max(worstBox, boxDistance(found, expected))
                for k in 0..<5 {
                    worstLandmark = max(worstLandmark, abs(found.landmarks[k].x - expected.landmarks[2 * k]),
                                        abs(found.landmarks[k].y - expected.landmarks[2 * k + 1]))
                }
                worstScore = max(worstScore, abs(found.score - expected.score))
                compared += 1
            }
            XCTAssertLessThanOrEqual(worstBox, 1, "\(name): box deviation in pixels")
            XCTAssertLessThanOrEqual(worstLandmark, 1, "\(name): landmark deviation in pixels")
            print(String(format: "yunet-parity %@: %d faces, max box %.2e px, max landmark %.2e px, max score %.2e",
                         name, faces.count, worstBox, worstLandmark, worstScore))
        }
        XCTAssertGreaterThan(compared, 10, "the fixtures hold faces to compare")
    }

    func testFacelessImagesGiveNoFaces() throws {
        let detector = try YuNetDetector(model: Model2Fixtures.yunetModel(), threads: 2)
        for name in ["coffee", "chelsea"] {
            let reference = try Model2Fixtures.reference(name)
            XCTAssertTrue(reference.faces.isEmpty)
            XCTAssertEqual(try detector.detect(try Model2Fixtures.png(reference.image)).count, 0, name)
        }
    }

    func testSizesPreparedEarlierStillDetectAfterTheSharedArenaGrows() throws {
        let detector = try YuNetDetector(model: Model2Fixtures.yunetModel(), threads: 1)
        let small = try Model2Fixtures.png("reference/obama_small.png")
        let large = try Model2Fixtures.png("reference/biden2.png")
        let before = try detector.detect(small)
        XCTAssertEqual(before.count, 1)
        XCTAssertEqual(try detector.detect(large).count, 1)
        XCTAssertGreaterThan(try detector.arenaBytes(width: large.width, height: large.height),
                             try detector.arenaBytes(width: small.width, height: small.height))
        XCTAssertEqual(try detector.detect(small), before)
    }

    private func boxDistance(_ a: YuNetFace, _ b: Model2Fixtures.Face) -> Float {
        max(abs(a.x - b.box[0]), abs(a.y - b.box[1]), abs(a.width - b.box[2]), abs(a.height - b.box[3]))
    }
}
