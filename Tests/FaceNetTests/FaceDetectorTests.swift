import XCTest
@testable import FaceNet

final class FaceDetectorTests: XCTestCase {
    /// Loaded once; a load error fails every test that needs the detector, with the reason.
    private static let model = Result { try DetectorModel(contentsOf: DetectTestSupport.detectorModelPath) }

    private func detector(threads: Int = 2) throws -> FaceDetector {
        try FaceDetector(model: Self.model.get(), threads: threads)
    }

    private func image(_ name: String) throws -> RGBImage {
        try DetectTestSupport.loadPNG(DetectTestSupport.referenceDirectory.appendingPathComponent("\(name).png"))
    }

    /// dlib's boxes (within 2 px) and confidences (within 0.02) on every reference image.
    func testMatchesDlibOnEveryReferenceImage() throws {
        let detector = try detector()
        let expectedCounts = try DetectTestSupport.referenceNames()
        XCTAssertEqual(expectedCounts.count, 14)
        for (name, count) in expectedCounts.sorted(by: { $0.key < $1.key }) {
            let reference = try DetectTestSupport.reference(name)
            XCTAssertEqual(reference.detector.upsample, 0)
            let found = try detector.detect(try image(name))
            XCTAssertEqual(found.count, count, name)
            XCTAssertEqual(reference.detector.detections.count, count, name)
            for (ours, theirs) in zip(found, reference.detector.detections) {
                XCTAssertEqual(ours.box.left, theirs.left, accuracy: 2, name)
                XCTAssertEqual(ours.box.top, theirs.top, accuracy: 2, name)
                XCTAssertEqual(ours.box.right, theirs.right, accuracy: 2, name)
                XCTAssertEqual(ours.box.bottom, theirs.bottom, accuracy: 2, name)
                XCTAssertEqual(Double(ours.confidence), theirs.confidence, accuracy: 0.02, name)
            }
        }
    }

    func testNoFaceOnCoffeeAndChelseaTwoOnTwoPeople() throws {
        let detector = try detector()
        XCTAssertEqual(try detector.detect(try image("coffee")), [])
        XCTAssertEqual(try detector.detect(try image("chelsea")), [])
        let two = try detector.detect(try image("two_people"))
        XCTAssertEqual(two.count, 2)
        XCTAssertGreaterThanOrEqual(two[0].box.area, two[1].box.area)
    }

    func testRepeatedAndSingleThreadedRunsAgree() throws {
        let picture = try image("obama")
        let twoThreads = try detector(threads: 2)
        let first = try twoThreads.detect(picture)
        _ = try twoThreads.detect(try image("two_people"))  // another bucket in between
        XCTAssertEqual(try twoThreads.detect(picture), first)
        let oneThread = try detector(threads: 1).detect(picture)
        XCTAssertEqual(oneThread.map(\.box), first.map(\.box))
        for (a, b) in zip(oneThread, first) { XCTAssertEqual(a.confidence, b.confidence, accuracy: 1e-4) }
    }

    func testSimilarSizesShareOneBucketAndTheArenaStopsGrowing() throws {
        let detector = try detector()
        let picture = try image("two_people")
        let first = try detector.detect(picture)
        let arena = detector.arenaBytes
        XCTAssertGreaterThan(arena, 0)
        XCTAssertEqual(detector.planCount, 1)
        // Two rows fewer: a tiled pyramid a few rows shorter, the same 32-rounded bucket.
        let cropped = RGBImage(width: picture.width, height: picture.height - 2,
                               pixels: Array(picture.pixels[0..<(picture.width * (picture.height - 2) * 3)]))
        let croppedFaces = try detector.detect(cropped)
        XCTAssertEqual(croppedFaces.count, first.count)
        XCTAssertEqual(detector.planCount, 1)
        XCTAssertEqual(try detector.detect(picture), first)
        XCTAssertEqual(detector.arenaBytes, arena)
        _ = try detector.detect(try image("obama_small"))
        XCTAssertEqual(detector.planCount, 2)
        XCTAssertEqual(detector.arenaBytes, arena)  // a smaller bucket fits the arena already there
    }

    func testMinimumFaceSizeSkipsFineLevels() throws {
        let detector = try detector()
        XCTAssertEqual(detector.skippedLevels(minimumFaceSize: FaceDetector.defaultMinimumFaceSize), 0)
        XCTAssertEqual(detector.skippedLevels(minimumFaceSize: 87), 0)
        XCTAssertEqual(detector.skippedLevels(minimumFaceSize: 100), 1)
        XCTAssertEqual(detector.skippedLevels(minimumFaceSize: 120), 2)
        XCTAssertEqual(detector.skippedLevels(minimumFaceSize: 140), 3)
        // two_people's faces are 96 and 115 px wide.
        let picture = try image("two_people")
        let all = try detector.detect(picture)
        for minimum in [100, 110, 115] {
            let skipped = detector.skippedLevels(minimumFaceSize: minimum)
            let smallest = FaceDetector.faceSide(window: 80, level: skipped)
            let found = try detector.detect(picture, minimumFaceSize: minimum)
            XCTAssertFalse(found.isEmpty, "minimum \(minimum)")
            // Only boxes from the levels kept, and the largest face where dlib puts it (the
            // different tiling may move it by a pixel).
            XCTAssertTrue(found.allSatisfy { $0.box.width >= smallest.rounded(.down) }, "minimum \(minimum): \(found)")
            XCTAssertEqual(found[0].box.left, all[0].box.left, accuracy: 2)
            XCTAssertEqual(found[0].box.bottom, all[0].box.bottom, accuracy: 2)
        }
        XCTAssertEqual(try detector.detect(picture, minimumFaceSize: 200), [])
    }

    func testTinyEmptyAndHugeImages() throws {
        let detector = try detector()
        XCTAssertEqual(try detector.detect(RGBImage(width: 0, height: 0)), [])
        XCTAssertEqual(try detector.detect(RGBImage(width: 1, height: 1)), [])
        XCTAssertEqual(try detector.detect(RGBImage(width: 3, height: 200)), [])
        XCTAssertEqual(try detector.detect(RGBImage(width: 60, height: 60)), [])
        XCTAssertThrowsError(try detector.detect(RGBImage(width: 1200, height: 1200))) { error in
            XCTAssertEqual(error as? FaceDetectorError, .imageTooLarge(width: 1200, height: 1200, maximumPyramidPixels: 3_000_000))
        }
        // Thin images: a tiny pyramid area per pixel but a tall tiled image.
        XCTAssertThrowsError(try detector.detect(RGBImage(width: 1, height: 200_000))) { XCTAssertTrue($0 is FaceDetectorError) }
        XCTAssertEqual(try detector.detect(RGBImage(width: 20_000, height: 4)), [])
    }
}
