import XCTest
@testable import FaceImage

final class ImageDecoderTests: XCTestCase {
    private let exact = DecodeLimits(jpegDCTScaling: false)

    func testEveryFixtureDecodesUprightAtTheReferenceSize() throws {
        let digests = try ImageFixtures.digests()
        let names = try ImageFixtures.faceNames()
        XCTAssertEqual(names.count, 14)
        for name in names {
            let stem = (name as NSString).deletingPathExtension
            let original = try XCTUnwrap(digests.upright_original[name], name)
            let reference = try XCTUnwrap(digests.reference[stem + ".png"], name)
            for limits in [DecodeLimits.default, exact] {
                let decoded = try ImageDecoder.decode(try ImageFixtures.bytes("faces/" + name), limits: limits)
                XCTAssertEqual(decoded.originalWidth, original.width, name)
                XCTAssertEqual(decoded.originalHeight, original.height, name)
                XCTAssertEqual(decoded.image.width, reference.width, name)
                XCTAssertEqual(decoded.image.height, reference.height, name)
            }
        }
    }

    func testReferencePNGsDecodeByteExactly() throws {
        let digests = try ImageFixtures.digests()
        XCTAssertEqual(digests.reference.count, 14)
        for (name, digest) in digests.reference {
            let decoded = try ImageDecoder.decode(try ImageFixtures.bytes("reference/" + name))
            XCTAssertEqual(decoded.format, .png)
            XCTAssertEqual(decoded.image.width, digest.width, name)
            XCTAssertEqual(decoded.image.height, digest.height, name)
            XCTAssertEqual(ImageFixtures.fnv1a64(decoded.image.pixels), digest.fnv1a64, name)
        }
    }

    /// Without DCT scaling, decode + resize is how the reference images were made. The Pillow
    /// that made them sometimes runs the vertical pass first (biden, obama_partial_face), which
    /// moves some pixels by one rounding step; all others must match exactly.
    func testFullDecodeReproducesTheReferenceImages() throws {
        var exactMatches = 0
        for name in try ImageFixtures.faceNames() {
            let stem = (name as NSString).deletingPathExtension
            let decoded = try ImageDecoder.decode(try ImageFixtures.bytes("faces/" + name), limits: exact)
            let reference = try ImageDecoder.decode(try ImageFixtures.bytes("reference/\(stem).png"))
            let mad = ImageFixtures.meanAbsoluteDifference(decoded.image, reference.image)
            XCTAssertLessThan(mad, 0.25, name)
            XCTAssertLessThanOrEqual(ImageFixtures.maxAbsoluteDifference(decoded.image, reference.image), 2, name)
            if mad == 0 { exactMatches += 1 }
        }
        XCTAssertGreaterThanOrEqual(exactMatches, 12)
    }

    /// With DCT scaling (the default) large JPEGs differ slightly from the reference.
    func testDCTScaledDecodeStaysCloseToEveryReferenceImage() throws {
        for name in try ImageFixtures.faceNames() {
            let stem = (name as NSString).deletingPathExtension
            let decoded = try ImageDecoder.decode(try ImageFixtures.bytes("faces/" + name))
            let reference = try ImageDecoder.decode(try ImageFixtures.bytes("reference/\(stem).png"))
            XCTAssertLessThan(ImageFixtures.meanAbsoluteDifference(decoded.image, reference.image), 1.0, name)
        }
    }

    func testExifRotatedPhotoComesOutLikeTheUprightOne() throws {
        let rotated = try ImageDecoder.decode(try ImageFixtures.bytes("faces/obama_exif6.jpg"))
        let upright = try ImageDecoder.decode(try ImageFixtures.bytes("faces/obama.jpg"))
        let reference = try ImageDecoder.decode(try ImageFixtures.bytes("reference/obama_exif6.png"))
        XCTAssertEqual(rotated.orientation, .rightTop)
        XCTAssertEqual(upright.orientation, .topLeft)
        XCTAssertEqual(rotated.originalWidth, upright.originalWidth)
        XCTAssertEqual(rotated.originalHeight, upright.originalHeight)
        XCTAssertEqual(rotated.image.width, upright.image.width)
        XCTAssertEqual(rotated.image.height, upright.image.height)
        XCTAssertLessThan(ImageFixtures.meanAbsoluteDifference(rotated.image, reference.image), 0.5)
        // Re-encoded once more, so not identical, but the same picture.
        XCTAssertLessThan(ImageFixtures.meanAbsoluteDifference(rotated.image, upright.image), 3)
    }

    func testWorkingSizeMatchesTheReferenceRule() {
        XCTAssertTrue(ImageDecoder.workingSize(width: 910, height: 1137, maxSide: 800) == (640, 800))
        XCTAssertTrue(ImageDecoder.workingSize(width: 1126, height: 661, maxSide: 800) == (800, 470))
        XCTAssertTrue(ImageDecoder.workingSize(width: 1200, height: 1200, maxSide: 800) == (800, 800))
        XCTAssertTrue(ImageDecoder.workingSize(width: 800, height: 300, maxSide: 800) == (800, 300))
        XCTAssertTrue(ImageDecoder.workingSize(width: 20000, height: 1, maxSide: 800) == (800, 1))
    }

    func testDCTScaleKeepsTwiceTheWorkingSize() {
        XCTAssertEqual(JPEGDecoder.denominator(longerSide: 800, workingSide: 800), 1)
        XCTAssertEqual(JPEGDecoder.denominator(longerSide: 2333, workingSide: 800), 1)
        XCTAssertEqual(JPEGDecoder.denominator(longerSide: 3200, workingSide: 800), 2)
        XCTAssertEqual(JPEGDecoder.denominator(longerSide: 6399, workingSide: 800), 2)
        XCTAssertEqual(JPEGDecoder.denominator(longerSide: 12799, workingSide: 800), 4)
        XCTAssertEqual(JPEGDecoder.denominator(longerSide: 12800, workingSide: 800), 8)
    }

    func testPointsMapBackToTheOriginalFrame() throws {
        let decoded = try ImageDecoder.decode(try ImageFixtures.bytes("faces/obama.jpg"))
        let origin = decoded.originalPoint(x: -0.5, y: -0.5)
        XCTAssertEqual(origin.x, -0.5, accuracy: 1e-9)
        XCTAssertEqual(origin.y, -0.5, accuracy: 1e-9)
        let corner = decoded.originalPoint(x: Double(decoded.image.width) - 0.5, y: Double(decoded.image.height) - 0.5)
        XCTAssertEqual(corner.x, 910 - 0.5, accuracy: 1e-9)
        XCTAssertEqual(corner.y, 1137 - 0.5, accuracy: 1e-9)
    }
}
