import XCTest
@testable import FaceImage

final class DecodeWebPTests: XCTestCase {
    private let pattern = ImageFixtures.patternImage()

    func testLosslessIsExactAndAlphaIsDropped() throws {
        for file in ["webp_lossless.webp", "webp_lossless_alpha.webp"] {
            let decoded = try ImageDecoder.decode(try ImageFixtures.bytes("images/" + file))
            XCTAssertEqual(decoded.format, .webp, file)
            XCTAssertEqual(decoded.image, pattern, file)
        }
    }

    func testLossyIsClose() throws {
        let decoded = try ImageDecoder.decode(try ImageFixtures.bytes("images/webp_lossy.webp"))
        XCTAssertEqual(decoded.image.width, pattern.width)
        // The pattern is all high frequencies, hard for lossy VP8; noise would be ~85 away.
        XCTAssertLessThan(ImageFixtures.meanAbsoluteDifference(decoded.image, pattern), 16)
    }

    /// Phones and browsers send WebP named .jpg: the content decides.
    func testWebPNamedJPGDecodesAsWebP() throws {
        let decoded = try ImageDecoder.decode(try ImageFixtures.bytes("images/webp_named_as.jpg"))
        XCTAssertEqual(decoded.format, .webp)
        XCTAssertEqual(decoded.image, pattern)
    }

    func testAnimatedIsRefused() throws {
        let error = ImageFixtures.decodeError(try ImageFixtures.bytes("images/webp_animated.webp"))
        XCTAssertEqual(error, .unsupportedFeature(format: .webp, feature: "animation"))
    }

    func testTruncatedIsRefused() throws {
        let bytes = try ImageFixtures.bytes("images/webp_lossy.webp")
        for cut in [20, 40, bytes.count / 2, bytes.count - 10] {
            XCTAssertEqual(ImageFixtures.decodeError(Array(bytes[..<cut])), .truncated(format: .webp), "cut at \(cut)")
        }
    }
}
