import XCTest
@testable import FaceImage

/// Every PNG colour type and depth of Tests/Fixtures/images against the formula they were made from.
final class DecodePNGTests: XCTestCase {
    private let w = ImageFixtures.patternWidth, h = ImageFixtures.patternHeight

    private func check(_ file: String, expected: (Int, Int) -> [UInt8]) throws {
        let decoded = try ImageDecoder.decode(try ImageFixtures.bytes("images/" + file))
        XCTAssertEqual(decoded.format, .png, file)
        XCTAssertEqual(decoded.image.width, w, file)
        XCTAssertEqual(decoded.image.height, h, file)
        var mismatches = 0
        for y in 0..<h {
            for x in 0..<w {
                let i = decoded.image.index(x: x, y: y)
                if Array(decoded.image.pixels[i..<i + 3]) != expected(x, y) { mismatches += 1 }
            }
        }
        XCTAssertEqual(mismatches, 0, file)
    }

    private func rgb(_ x: Int, _ y: Int) -> [UInt8] {
        let (r, g, b) = ImageFixtures.patternRGB(x, y)
        return [r, g, b]
    }

    private func gray(_ x: Int, _ y: Int) -> [UInt8] {
        let v = ImageFixtures.patternRGB(x, y).0
        return [v, v, v]
    }

    func testRGB() throws {
        try check("png_rgb8_interlaced.png", expected: rgb)
        try check("png_rgb16.png", expected: rgb)
    }

    /// Alpha is dropped, the colour kept as stored (not composited).
    func testRGBAKeepsColourDropsAlpha() throws {
        try check("png_rgba8.png", expected: rgb)
        try check("png_rgba16.png", expected: rgb)
    }

    /// 16-bit samples v * 257 must come back as v: read as sRGB, not as linear light.
    func testGray() throws {
        try check("png_gray8.png", expected: gray)
        try check("png_gray16.png", expected: gray)
        try check("png_gray_alpha8.png", expected: gray)
        try check("png_gray1.png") { x, y in (x + y) & 1 == 1 ? [255, 255, 255] : [0, 0, 0] }
    }

    func testPalette() throws {
        try check("png_palette4.png") { x, y in self.rgb((x + y) % 16, 0) }
        try check("png_palette8_trns.png") { x, y in self.rgb((x + y) % 16, 0) }
    }
}
