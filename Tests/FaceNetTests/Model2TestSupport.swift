@testable import FaceNet
import Foundation
import XCTest

/// The second model family's models and reference fixtures (Tests/Fixtures/model2, made by
/// scripts/make-model-references.py with OpenCV's FaceDetectorYN and OpenVINO f32).
enum Model2Fixtures {
    static let root = PipelineFixtures.packageRoot
    static let directory = root.appendingPathComponent("Tests/Fixtures/model2")
    /// Cosine similarity at or above which two faces count as the same person in these tests.
    /// Provisional (calibration is the score-calibration work); the fixtures' same-person pairs
    /// score 0.67 or more and different people 0.13 or less.
    static let sameThreshold: Float = 0.4

    struct Face: Decodable {
        var box: [Float]
        var landmarks: [Float]
        var score: Float
    }

    struct Reference: Decodable {
        var image: String
        var width: Int
        var height: Int
        var faces: [Face]
        var largest: Int?
        var crop: String?
        var embedding_of_crop: [Float]?
    }

    struct Pair: Decodable {
        var a: String
        var b: String
        var cosine: Float
    }

    struct Index: Decodable {
        var pairs: [Pair]
    }

    static var modelDirectory: String { PipelineFixtures.modelDir.path }

    private static let yunet = Result { try YuNetModel(directory: modelDirectory) }
    private static let reid = Result { try ReIDModel(directory: modelDirectory) }
    static func yunetModel() throws -> YuNetModel { try yunet.get() }
    static func reidModel() throws -> ReIDModel { try reid.get() }

    /// Every fixture name (NAME.json except index.json), sorted.
    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && $0 != "index.json" }
            .map { String($0.dropLast(5)) }
            .sorted()
    }

    static func reference(_ name: String) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: directory.appendingPathComponent("\(name).json")))
    }

    static func index() throws -> Index {
        try JSONDecoder().decode(Index.self, from: Data(contentsOf: directory.appendingPathComponent("index.json")))
    }

    /// A PNG under Tests/Fixtures (path as the reference JSON gives it).
    static func png(_ relativePath: String) throws -> RGBImage {
        let data = try Data(contentsOf: root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relativePath))
        return try PipelineFixtures.decodePNG([UInt8](data), name: relativePath)
    }

    /// The original file of a fixture (Tests/Fixtures/faces/NAME.*).
    static func original(_ name: String) throws -> [UInt8] {
        let faces = root.appendingPathComponent("Tests/Fixtures/faces")
        let file = try FileManager.default.contentsOfDirectory(atPath: faces.path)
            .first { ($0 as NSString).deletingPathExtension == name }
        guard let file else { throw CocoaError(.fileNoSuchFile) }
        return [UInt8](try Data(contentsOf: faces.appendingPathComponent(file)))
    }

    /// The largest face by box area (the one the pipeline embeds).
    static func largest(_ faces: [YuNetFace]) -> YuNetFace? { faces.max { $0.area < $1.area } }

    /// Detect, align and embed the largest face of a working image.
    static func pipelineEmbedding(_ image: RGBImage, detector: YuNetDetector, embedder: ReIDEmbedder) throws -> [Float]? {
        guard let face = largest(try detector.detect(image, options: .init(scoreThreshold: 0.5))),
              let crop = SimilarityAlignment.crop(image, landmarks: face.landmarks) else { return nil }
        return try embedder.embed(crop: crop)
    }
}
