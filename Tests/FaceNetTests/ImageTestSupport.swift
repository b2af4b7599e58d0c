import Foundation
import XCTest
@testable import FaceImage

/// Shared helpers of the Image*/Decode* tests: fixture paths, the fixture pattern, digests.
enum ImageFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    static func faceNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("faces").path).sorted()
    }

    /// The 37x23 pattern of Tests/Fixtures/images (see make_fixtures.py).
    static let patternWidth = 37, patternHeight = 23
    static func patternRGB(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        (UInt8((7 * x + 3 * y) & 255), UInt8((2 * x + 11 * y) & 255), UInt8(((5 * x) ^ (13 * y)) & 255))
    }
    static func patternImage() -> RGBImage {
        var image = RGBImage(width: patternWidth, height: patternHeight)
        for y in 0..<patternHeight {
            for x in 0..<patternWidth {
                let (r, g, b) = patternRGB(x, y)
                let i = image.index(x: x, y: y)
                image.pixels[i] = r; image.pixels[i + 1] = g; image.pixels[i + 2] = b
            }
        }
        return image
    }

    struct Digest: Decodable { let width: Int; let height: Int; let fnv1a64: String }
    struct Size: Decodable { let width: Int; let height: Int }
    struct Digests: Decodable {
        let reference: [String: Digest]
        let upright_original: [String: Size]
        let coffee_resized: [Digest]
    }
    static func digests() throws -> Digests {
        try JSONDecoder().decode(Digests.self, from: Data(bytes("images/reference_digests.json")))
    }

    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func meanAbsoluteDifference(_ a: RGBImage, _ b: RGBImage) -> Double {
        guard a.width == b.width, a.height == b.height else { return .infinity }
        var total = 0
        for i in 0..<a.pixels.count { total += abs(Int(a.pixels[i]) - Int(b.pixels[i])) }
        return Double(total) / Double(max(a.pixels.count, 1))
    }

    static func maxAbsoluteDifference(_ a: RGBImage, _ b: RGBImage) -> Int {
        guard a.width == b.width, a.height == b.height else { return .max }
        return zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    /// The upright pixel at (x, y) of a stored image, by the EXIF definitions written out case
    /// by case (independent of ExifOrientation.strides).
    static func uprightPixel(_ stored: RGBImage, _ orientation: Int, x: Int, y: Int) -> [UInt8] {
        let w = stored.width, h = stored.height
        let (sx, sy): (Int, Int)
        switch orientation {
        case 2: (sx, sy) = (w - 1 - x, y)
        case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
        case 4: (sx, sy) = (x, h - 1 - y)
        case 5: (sx, sy) = (y, x)
        case 6: (sx, sy) = (y, h - 1 - x)
        case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
        case 8: (sx, sy) = (w - 1 - y, x)
        default: (sx, sy) = (x, y)
        }
        let i = stored.index(x: sx, y: sy)
        return Array(stored.pixels[i..<i + 3])
    }

    static func decodeError(_ bytes: [UInt8], limits: DecodeLimits = .default) -> ImageDecodeError? {
        do {
            _ = try ImageDecoder.decode(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }
}
