import XCTest
@testable import FaceImage

final class ImageExifOrientationTests: XCTestCase {
    /// A TIFF block with IFD0 = [ImageWidth, Orientation] in either byte order, of SHORT or LONG type.
    private func tiff(_ orientation: Int, bigEndian: Bool, long: Bool = false) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 255)] : [UInt8(v & 255), UInt8(v >> 8)] }
        func u32(_ v: Int) -> [UInt8] { bigEndian ? u16(v >> 16) + u16(v & 0xFFFF) : u16(v & 0xFFFF) + u16(v >> 16) }
        var bytes: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        bytes += u16(42) + u32(8) + u16(2)
        bytes += u16(0x0100) + u16(3) + u32(1) + u16(320) + u16(0)
        bytes += u16(0x0112) + u16(long ? 4 : 3) + u32(1) + (long ? u32(orientation) : u16(orientation) + u16(0))
        return bytes + u32(0)
    }

    /// The JPEG with an APP1 Exif segment inserted right after SOI.
    private func spliced(_ jpeg: [UInt8], tiff: [UInt8]) -> [UInt8] {
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 255)] + payload + Array(jpeg[2...])
    }

    func testReaderFindsAllEightValuesInBothByteOrders() {
        for value in 1...8 {
            for bigEndian in [false, true] {
                for long in [false, true] {
                    let found = ExifOrientationReader.orientation(tiff: tiff(value, bigEndian: bigEndian, long: long)[...])
                    XCTAssertEqual(found?.rawValue, value, "value \(value) bigEndian \(bigEndian) long \(long)")
                }
            }
        }
    }

    func testReaderRejectsDamagedBlocksWithoutTrapping() {
        let good = tiff(6, bigEndian: true)
        // The Orientation value ends at byte 32.
        for cut in 0..<32 {
            XCTAssertNil(ExifOrientationReader.orientation(tiff: good[..<cut]), "cut at \(cut)")
        }
        var badOffset = good
        badOffset[7] = 0xF0
        XCTAssertNil(ExifOrientationReader.orientation(tiff: badOffset[...]))
        XCTAssertNil(ExifOrientationReader.orientation(tiff: tiff(9, bigEndian: false)[...]))
        XCTAssertNil(ExifOrientationReader.orientation(tiff: tiff(0, bigEndian: false)[...]))
    }

    func testAllEightOrientationsComeOutUpright() throws {
        let base = try ImageFixtures.bytes("faces/obama_small.jpg")
        let stored = try ImageDecoder.decode(base).image
        for value in 1...8 {
            for bigEndian in [false, true] {
                let decoded = try ImageDecoder.decode(spliced(base, tiff: tiff(value, bigEndian: bigEndian)))
                XCTAssertEqual(decoded.orientation.rawValue, value)
                let swaps = value >= 5
                XCTAssertEqual(decoded.image.width, swaps ? stored.height : stored.width)
                XCTAssertEqual(decoded.image.height, swaps ? stored.width : stored.height)
                XCTAssertEqual(decoded.originalWidth, decoded.image.width)
                var mismatches = 0
                for y in 0..<decoded.image.height {
                    for x in 0..<decoded.image.width {
                        let i = decoded.image.index(x: x, y: y)
                        if Array(decoded.image.pixels[i..<i + 3]) != ImageFixtures.uprightPixel(stored, value, x: x, y: y) {
                            mismatches += 1
                        }
                    }
                }
                XCTAssertEqual(mismatches, 0, "orientation \(value) bigEndian \(bigEndian)")
            }
        }
    }

    /// Orientation and downscaling together: the resampler reads the stored image through the
    /// orientation, which must equal turning first and resizing after; with DCT scaling (whose
    /// partial last pixel lies at the stored far edge) it must stay close to that.
    func testOrientedDownscaleEqualsTurnThenResize() throws {
        let base = try ImageFixtures.bytes("faces/obama_small.jpg")
        let stored = try ImageDecoder.decode(base).image
        let limits = DecodeLimits(maxWorkingSide: 100, jpegDCTScaling: false)
        for value in 1...8 {
            var turned = RGBImage(width: value >= 5 ? stored.height : stored.width, height: value >= 5 ? stored.width : stored.height)
            for y in 0..<turned.height {
                for x in 0..<turned.width {
                    let i = turned.index(x: x, y: y)
                    turned.pixels.replaceSubrange(i..<i + 3, with: ImageFixtures.uprightPixel(stored, value, x: x, y: y))
                }
            }
            let decoded = try ImageDecoder.decode(spliced(base, tiff: tiff(value, bigEndian: false)), limits: limits)
            let expected = BilinearResampler.resize(turned, width: decoded.image.width, height: decoded.image.height)
            XCTAssertEqual(max(decoded.image.width, decoded.image.height), 100)
            XCTAssertEqual(decoded.image, expected, "orientation \(value)")
            let scaled = try ImageDecoder.decode(spliced(base, tiff: tiff(value, bigEndian: true)), limits: DecodeLimits(maxWorkingSide: 93))
            let scaledExpected = BilinearResampler.resize(turned, width: scaled.image.width, height: scaled.image.height)
            XCTAssertLessThan(ImageFixtures.meanAbsoluteDifference(scaled.image, scaledExpected), 1.5, "orientation \(value)")
        }
    }

    func testPNGeXIfAndWebPEXIFAreApplied() throws {
        let pattern = ImageFixtures.patternImage()
        for file in ["images/png_rgb8_exif6.png", "images/webp_lossless_exif6.webp"] {
            let decoded = try ImageDecoder.decode(try ImageFixtures.bytes(file))
            XCTAssertEqual(decoded.orientation, .rightTop, file)
            XCTAssertEqual(decoded.image.width, pattern.height, file)
            XCTAssertEqual(decoded.image.height, pattern.width, file)
            let i = decoded.image.index(x: decoded.image.width - 1, y: 0)
            XCTAssertEqual(Array(decoded.image.pixels[i..<i + 3]), ImageFixtures.uprightPixel(pattern, 6, x: decoded.image.width - 1, y: 0), file)
            XCTAssertEqual(Array(decoded.image.pixels[i..<i + 3]), Array(pattern.pixels[0..<3]), file)
        }
    }
}
