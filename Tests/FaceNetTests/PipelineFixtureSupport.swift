import CPNG
import FaceNet
import Foundation
import XCTest

/// Locates the reference fixtures and models for the landmark, chip and pipeline tests, and reads
/// the lossless reference PNGs (test-only loader through libpng's simplified API).
enum PipelineFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let referenceDir = packageRoot.appendingPathComponent("Tests/Fixtures/reference")
    static let facesDir = packageRoot.appendingPathComponent("Tests/Fixtures/faces")

    static var modelDir: URL {
        if let dir = ProcessInfo.processInfo.environment["FACEMATCH_MODEL_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return packageRoot.appendingPathComponent("models")
    }

    static func modelBytes(_ name: String) throws -> [UInt8] {
        let url = modelDir.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FixtureError.missingModel("model \(name) not found in \(modelDir.path); run scripts/setup.sh")
        }
        return [UInt8](data)
    }

    /// Every reference image name (NAME.json except index.json), sorted.
    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: referenceDir.path)
            .filter { $0.hasSuffix(".json") && $0 != "index.json" }
            .map { String($0.dropLast(5)) }
            .sorted()
    }

    static func reference(_ name: String) throws -> Reference {
        let data = try Data(contentsOf: referenceDir.appendingPathComponent("\(name).json"))
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    static func index() throws -> ReferenceIndex {
        let data = try Data(contentsOf: referenceDir.appendingPathComponent("index.json"))
        return try JSONDecoder().decode(ReferenceIndex.self, from: data)
    }

    static func png(_ file: String) throws -> RGBImage {
        let data = try Data(contentsOf: referenceDir.appendingPathComponent(file))
        return try decodePNG([UInt8](data), name: file)
    }

    static func decodePNG(_ bytes: [UInt8], name: String) throws -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let ok = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard ok != 0 else { throw FixtureError.unreadable(name) }
        image.format = UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let done = pixels.withUnsafeMutableBytes {
            png_image_finish_read(&image, nil, $0.baseAddress, Int32(width * 3), nil)
        }
        png_image_free(&image)
        guard done != 0 else { throw FixtureError.unreadable(name) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    enum FixtureError: Error {
        case unreadable(String)
        case missingModel(String)
    }

    struct Reference: Decodable {
        struct Detections: Decodable { let detections: [Detection] }
        struct Detection: Decodable { let left, top, right, bottom: Double; let confidence: Double }
        struct Landmarks: Decodable { let box: [Double]; let points: [[Double]] }
        struct Chip: Decodable { let file: String; let size: Int; let padding: Double }

        let source: String
        let input: String
        let width: Int
        let height: Int
        let detector: Detections
        let landmarks5: Landmarks?
        let chip: Chip?
        let embedding_of_chip: [Float]?
        let embedding_of_image: [Float]?

        var box: FaceBox? {
            guard let b = landmarks5?.box, b.count == 4 else { return nil }
            return FaceBox(left: b[0], top: b[1], right: b[2], bottom: b[3])
        }

        var points: [FacePoint] {
            (landmarks5?.points ?? []).map { FacePoint(x: $0[0], y: $0[1]) }
        }
    }

    struct ReferenceIndex: Decodable {
        let faces_found: [String: Int]
        let distances_of_largest_faces: [String: [String: Double]]
    }
}
