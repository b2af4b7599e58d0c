import CPNG
import Foundation
import XCTest
@testable import FaceNet

/// Paths and a minimal PNG loader (libpng's simplified API) for the detector's tests.
enum DetectTestSupport {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let referenceDirectory = root.appendingPathComponent("Tests/Fixtures/reference")
    static let detectorModelPath = root.appendingPathComponent("models/mmod_human_face_detector.dat").path

    static func detectorModelBytes() throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: detectorModelPath) else {
            XCTFail("missing \(detectorModelPath); run scripts/setup.sh")
            throw CocoaError(.fileNoSuchFile)
        }
        return [UInt8](data)
    }

    static func loadPNG(_ url: URL) throws -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, url.path) != 0 else {
            throw CocoaError(.fileReadCorruptFile)
        }
        image.format = UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width)
        let height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let ok = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, Int32(width * 3), nil)
        }
        png_image_free(&image)
        guard ok != 0 else { throw CocoaError(.fileReadCorruptFile) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    struct ReferenceDetection: Decodable {
        let left: Double
        let top: Double
        let right: Double
        let bottom: Double
        let confidence: Double
    }

    struct Reference: Decodable {
        struct Detector: Decodable {
            let upsample: Int
            let detections: [ReferenceDetection]
        }
        let width: Int
        let height: Int
        let detector: Detector
    }

    static func reference(_ name: String) throws -> Reference {
        let data = try Data(contentsOf: referenceDirectory.appendingPathComponent("\(name).json"))
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    static func referenceNames() throws -> [String: Int] {
        struct Index: Decodable { let faces_found: [String: Int] }
        let data = try Data(contentsOf: referenceDirectory.appendingPathComponent("index.json"))
        return try JSONDecoder().decode(Index.self, from: data).faces_found
    }
}
