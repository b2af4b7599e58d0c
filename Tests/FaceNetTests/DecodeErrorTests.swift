import XCTest
@testable import FaceImage

/// Bad input must give the right typed error, never a crash.
final class DecodeErrorTests: XCTestCase {
    func testEmpty() {
        XCTAssertEqual(ImageFixtures.decodeError([]), .empty)
    }

    func testNotAnImage() {
        XCTAssertEqual(ImageFixtures.decodeError(Array("hello, this is text\n".utf8)),
                       .unrecognizedFormat(leadingBytes: Array("hell".utf8)))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            var noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            noise[0] = 0x00
            guard case .unrecognizedFormat? = ImageFixtures.decodeError(noise) else {
                return XCTFail("random bytes must be unrecognized")
            }
        }
        XCTAssertEqual(ImageFixtures.decodeError(Array("GIF89a".utf8) + [UInt8](repeating: 0, count: 20)), .unsupportedFormat(name: "GIF"))
    }

    /// Random bytes behind each format's magic: a typed error, whatever it is.
    func testGarbageBehindMagicBytes() {
        let magics: [[UInt8]] = [[0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
                                 Array("RIFF".utf8) + [0, 1, 0, 0] + Array("WEBP".utf8)]
        var generator = SystemRandomNumberGenerator()
        for magic in magics {
            for _ in 0..<20 {
                let bytes = magic + (0..<2000).map { _ in UInt8.random(in: 0...255, using: &generator) }
                XCTAssertNotNil(ImageFixtures.decodeError(bytes))
            }
        }
    }

    func testTooLarge() {
        let bytes = [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: 6_000_000)
        XCTAssertEqual(ImageFixtures.decodeError(bytes), .inputTooLarge(byteCount: 6_000_003, limit: 5_000_000))
    }

    func testTruncatedJPEG() throws {
        let bytes = try ImageFixtures.bytes("faces/obama.jpg")
        for cut in [3, 200, bytes.count / 2, bytes.count - 100] {
            XCTAssertEqual(ImageFixtures.decodeError(Array(bytes[..<cut])), .truncated(format: .jpeg), "cut at \(cut)")
        }
    }

    func testTruncatedPNG() throws {
        let bytes = try ImageFixtures.bytes("faces/coffee.png")
        for cut in [20, 100, bytes.count / 2, bytes.count - 20] {
            XCTAssertEqual(ImageFixtures.decodeError(Array(bytes[..<cut])), .truncated(format: .png), "cut at \(cut)")
        }
    }

    /// A bogus Huffman table (fatal in libjpeg) and a stray marker inside the entropy data
    /// (an early EOI: only a warning in libjpeg, which would fill the rest with grey).
    func testCorruptJPEGData() throws {
        let bytes = try ImageFixtures.bytes("faces/obama_small.jpg")
        var badTable = bytes
        let dht = try XCTUnwrap((2..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC4 })
        badTable.replaceSubrange(dht + 5..<dht + 21, with: [UInt8](repeating: 0xFF, count: 16))
        guard case .corrupt(format: .jpeg, _)? = ImageFixtures.decodeError(badTable) else {
            return XCTFail("a bogus Huffman table must be refused")
        }
        var strayMarker = bytes
        strayMarker.insert(contentsOf: [0xFF, 0xD9], at: bytes.count / 2)
        guard case .corrupt(format: .jpeg, _)? = ImageFixtures.decodeError(strayMarker) else {
            return XCTFail("damaged entropy data must be refused")
        }
    }

    /// 30000x30000 declared in a real JPEG's SOF: refused from the header.
    func testJPEGHeaderBomb() throws {
        var bytes = try ImageFixtures.bytes("faces/obama_small.jpg")
        let sof = try XCTUnwrap((2..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes.replaceSubrange(sof + 5..<sof + 9, with: [0x75, 0x30, 0x75, 0x30])
        XCTAssertEqual(ImageFixtures.decodeError(bytes), .tooManyPixels(width: 30000, height: 30000, limit: 40_000_000))
        bytes.replaceSubrange(sof + 5..<sof + 9, with: [0x00, 0x00, 0x01, 0x00])
        XCTAssertEqual(ImageFixtures.decodeError(bytes), .zeroDimensions(width: 256, height: 0))
    }

    /// 30000x30000 in a PNG IHDR with a valid CRC.
    func testPNGHeaderBomb() {
        XCTAssertEqual(ImageFixtures.decodeError(png(width: 30000, height: 30000)),
                       .tooManyPixels(width: 30000, height: 30000, limit: 40_000_000))
        XCTAssertEqual(ImageFixtures.decodeError(png(width: 0, height: 10)), .zeroDimensions(width: 0, height: 10))
        XCTAssertEqual(ImageFixtures.decodeError(png(width: 5000, height: 5000), limits: DecodeLimits(maxPixels: 1_000_000)),
                       .tooManyPixels(width: 5000, height: 5000, limit: 1_000_000))
    }

    /// A VP8X canvas of 16384x16384 (the WebP maximum).
    func testWebPHeaderBomb() {
        var chunk: [UInt8] = Array("VP8X".utf8) + [10, 0, 0, 0, 0, 0, 0, 0]
        chunk += [0xFF, 0x3F, 0x00, 0xFF, 0x3F, 0x00]
        let bytes: [UInt8] = Array("RIFF".utf8) + [UInt8(4 + chunk.count), 0, 0, 0] + Array("WEBP".utf8) + chunk
        XCTAssertEqual(ImageFixtures.decodeError(bytes), .tooManyPixels(width: 16384, height: 16384, limit: 40_000_000))
    }

    private func png(width: UInt32, height: UInt32) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        let body = Array("IHDR".utf8) + be(width) + be(height) + [8, 2, 0, 0, 0]
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be(13) + body + be(~crc)
            + be(0) + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82]
    }
}
