import XCTest
@testable import FaceImage

final class ImageResamplerTests: XCTestCase {
    /// Pillow's Image.resize(size, BILINEAR) of coffee.png, as digests: down, up, one axis, tiny.
    func testMatchesPillowBilinearBitForBit() throws {
        let coffee = try ImageDecoder.decode(try ImageFixtures.bytes("faces/coffee.png")).image
        let expected = try ImageFixtures.digests().coffee_resized
        XCTAssertEqual(expected.count, 6)
        for digest in expected {
            let resized = BilinearResampler.resize(coffee, width: digest.width, height: digest.height)
            XCTAssertEqual(resized.width, digest.width)
            XCTAssertEqual(resized.height, digest.height)
            XCTAssertEqual(ImageFixtures.fnv1a64(resized.pixels), digest.fnv1a64, "\(digest.width)x\(digest.height)")
        }
    }

    func testSameSizeIsIdentity() {
        let pattern = ImageFixtures.patternImage()
        XCTAssertEqual(BilinearResampler.resize(pattern, width: pattern.width, height: pattern.height), pattern)
    }

    func testConstantImageStaysConstant() {
        let flat = RGBImage(width: 97, height: 61, pixels: [UInt8](repeating: 0, count: 97 * 61).flatMap { _ in [200, 17, 255] })
        let small = BilinearResampler.resize(flat, width: 13, height: 40)
        XCTAssertEqual(small.pixels.count, 13 * 40 * 3)
        for i in stride(from: 0, to: small.pixels.count, by: 3) {
            XCTAssertEqual(Array(small.pixels[i..<i + 3]), [200, 17, 255])
        }
    }

    /// The antialiasing: a 1-pixel checkerboard reduced 4x must become flat grey, not alias.
    func testDownscaleAveragesInsteadOfSampling() {
        var board = RGBImage(width: 64, height: 64)
        for y in 0..<64 { for x in 0..<64 where (x + y) % 2 == 0 {
            let i = board.index(x: x, y: y)
            board.pixels[i] = 255; board.pixels[i + 1] = 255; board.pixels[i + 2] = 255
        } }
        let small = BilinearResampler.resize(board, width: 16, height: 16)
        XCTAssertLessThanOrEqual(small.pixels.map { abs(Int($0) - 128) }.max() ?? 255, 2)
    }
}
