@testable import FaceNet
import XCTest

/// face-reidentification-retail-0095 on our engine against OpenVINO f32, and the whole second-family
/// pipeline from the original files against the reference runtimes' pipeline.
final class ReIDParityTests: XCTestCase {
    func testEmbeddingOfTheSameCropMatchesOpenVINO() throws {
        let embedder = try ReIDEmbedder(model: Model2Fixtures.reidModel())
        var compared = 0
        for name in try Model2Fixtures.names() {
            let reference = try Model2Fixtures.reference(name)
            guard let crop = reference.crop, let expected = reference.embedding_of_crop else { continue }
            let ours = try embedder.embed(crop: try Model2Fixtures.png(crop))
            let cosine = ReIDEmbedder.cosine(ours, expected)
            let worst = zip(ours, expected).map { abs($0 - $1) }.max() ?? 0
            XCTAssertGreaterThanOrEqual(cosine, 0.9999, name)
            print(String(format: "reid-crop-parity %@: cosine %.9f, max |difference| %.2e", name, cosine, worst))
            compared += 1
        }
        XCTAssertEqual(compared, 12)
    }

    func testAlignedCropMatchesWarpAffine() throws {
        for name in try Model2Fixtures.names() {
            let reference = try Model2Fixtures.reference(name)
            guard let largest = reference.largest, let cropFile = reference.crop else { continue }
            let landmarks = reference.faces[largest].landmarks
            let points = (0..<5).map { SIMD2<Float>(landmarks[2 * $0], landmarks[2 * $0 + 1]) }
            let ours = try XCTUnwrap(SimilarityAlignment.crop(try Model2Fixtures.png(reference.image), landmarks: points))
            let expected = try Model2Fixtures.png(cropFile)
            let mean = ImageFixtures.meanAbsoluteDifference(ours, expected)
            let worst = ImageFixtures.maxAbsoluteDifference(ours, expected)
            XCTAssertLessThan(mean, 0.2, name)
            XCTAssertLessThanOrEqual(worst, 4, name)
            print(String(format: "crop-parity %@: mean |difference| %.4f, max %d", name, mean, worst))
        }
    }

    func testWholePipelineFromTheOriginalFilesMatchesTheReferenceRuntimes() throws {
        let detector = try YuNetDetector(model: Model2Fixtures.yunetModel(), threads: 1)
        let embedder = try ReIDEmbedder(model: Model2Fixtures.reidModel())
        var embeddings: [String: [Float]] = [:]
        for name in try Model2Fixtures.names() {
            let reference = try Model2Fixtures.reference(name)
            let image = try ImageDecoder.decode(try Model2Fixtures.original(name)).image
            let ours = try Model2Fixtures.pipelineEmbedding(image, detector: detector, embedder: embedder)
            guard let expected = reference.embedding_of_crop else {
                XCTAssertNil(ours, "\(name): the reference runtimes find no face")
                continue
            }
            let embedding = try XCTUnwrap(ours, "\(name): no face found")
            let cosine = ReIDEmbedder.cosine(embedding, expected)
            XCTAssertGreaterThanOrEqual(cosine, 0.999, name)
            print(String(format: "pipeline-parity %@: cosine %.6f", name, cosine))
            embeddings[name] = embedding
        }
        let pairs = try Model2Fixtures.index().pairs
        XCTAssertEqual(pairs.count, 66)
        for pair in pairs {
            let a = try XCTUnwrap(embeddings[pair.a]), b = try XCTUnwrap(embeddings[pair.b])
            let ours = ReIDEmbedder.cosine(a, b)
            XCTAssertEqual(ours >= Model2Fixtures.sameThreshold, pair.cosine >= Model2Fixtures.sameThreshold,
                           "\(pair.a) vs \(pair.b): ours \(ours), reference \(pair.cosine)")
            XCTAssertEqual(ours, pair.cosine, accuracy: 0.01, "\(pair.a) vs \(pair.b)")
        }
    }

    func testPipelineReportsFacesInTheOriginalFrameWithTheSameEmbedding() throws {
        let pipeline = try ReIDPipeline(detector: Model2Fixtures.yunetModel(), embedder: Model2Fixtures.reidModel())
        let reference = try Model2Fixtures.reference("obama")
        let analysis = try pipeline.analyze(imageBytes: try Model2Fixtures.original("obama"), limit: 1,
                                            options: .init(scoreThreshold: 0.5))
        XCTAssertEqual([analysis.width, analysis.height], [910, 1137])
        let face = try XCTUnwrap(analysis.faces.first)
        XCTAssertEqual(analysis.faces.count, 1)
        // The reference box is in the 640x800 working image; the original is 910/640 larger.
        let box = reference.faces[try XCTUnwrap(reference.largest)].box
        let scale = 910.0 / 640.0
        XCTAssertEqual(face.left, (Double(box[0]) + 0.5) * scale - 0.5, accuracy: 1.5)
        XCTAssertEqual(face.bottom, (Double(box[1] + box[3]) + 0.5) * scale - 0.5, accuracy: 1.5)
        XCTAssertGreaterThanOrEqual(ReIDEmbedder.cosine(face.embedding, try XCTUnwrap(reference.embedding_of_crop)), 0.999)
    }

    func testAlignmentRefusesLandmarksThatDefineNoUsableCrop() {
        let image = RGBImage(width: 64, height: 64)
        XCTAssertTrue(SimilarityAlignment.crop(image, landmarks: [SIMD2(1, 1), SIMD2(2, 2)]) == nil, "fewer than five")
        let spread = [SIMD2<Float>(0, 0), SIMD2(4e9, 0), SIMD2(2e9, 2e9), SIMD2(1e9, 4e9), SIMD2(3e9, 4e9)]
        XCTAssertTrue(SimilarityAlignment.crop(image, landmarks: spread) == nil, "a scale that would sample far outside")
        let nan = [SIMD2<Float>(.nan, 1)] + Array(repeating: SIMD2<Float>(10, 10), count: 4)
        XCTAssertTrue(SimilarityAlignment.crop(image, landmarks: nan) == nil, "not a number")
    }
}
