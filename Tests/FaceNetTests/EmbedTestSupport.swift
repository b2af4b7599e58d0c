import CPNG
import Foundation
import XCTest
@testable import FaceNet

/// Paths to fixtures and models, a tiny PNG loader (libpng's simplified API) so these tests do not
/// depend on the decoder under test elsewhere, and one shared, lazily loaded embedder model.
enum EmbedTestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let referenceDirectory = packageRoot.appendingPathComponent("Tests/Fixtures/reference")

    static var modelDirectory: String {
        ProcessInfo.processInfo.environment["FACEMATCH_MODEL_DIR"] ?? packageRoot.appendingPathComponent("models").path
    }

    static var modelPath: String { (modelDirectory as NSString).appendingPathComponent(EmbedderModel.fileName) }

    private static let loaded: Result<EmbedderModel, Error> = Result { try EmbedderModel(contentsOf: modelPath) }

    /// The shared model; a missing or unreadable file is an error (scripts/setup.sh guarantees it).
    static func model() throws -> EmbedderModel {
        try loaded.get()
    }

    static func chipNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: referenceDirectory.path)
            .filter { $0.hasSuffix("_chip.png") }.map { String($0.dropLast("_chip.png".count)) }.sorted()
    }

    static func referenceEmbedding(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: referenceDirectory.appendingPathComponent("\(name).json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let values = json?["embedding_of_chip"] as? [Double] else { throw CocoaError(.fileReadCorruptFile) }
        return values.map(Float.init)
    }

    static func loadRGB(_ url: URL) throws -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, url.path) != 0 else { throw CocoaError(.fileReadCorruptFile) }
        image.format = UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        png_image_free(&image)
        guard ok != 0 else { throw CocoaError(.fileReadCorruptFile) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
