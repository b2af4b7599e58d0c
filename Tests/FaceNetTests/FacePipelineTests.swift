import Foundation
import XCTest
@testable import FaceNet

/// The whole pipeline against dlib's reference descriptors (Tests/Fixtures).
final class FacePipelineTests: XCTestCase {
    /// Loaded once; scripts/setup.sh guarantees the models, so a load error fails every test here.
    static let models = Result { try FaceModels(directory: PipelineFixtures.modelDir.path) }

    private func pipeline() throws -> FacePipeline {
        try FacePipeline(models: Self.models.get())
    }

    private func original(_ reference: PipelineFixtures.Reference) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: PipelineFixtures.facesDir.appendingPathComponent(reference.source)))
    }

    func testReferenceImagesReproduceDlibDescriptors() throws {
        let pipeline = try pipeline()
        var checked = 0
        for name in try PipelineFixtures.names() {
            let reference = try PipelineFixtures.reference(name)
            let png = try Data(contentsOf: PipelineFixtures.referenceDir.appendingPathComponent(reference.input))
            let analysis = try pipeline.analyze(imageBytes: [UInt8](png))
            XCTAssertEqual(analysis.faces.count, reference.detector.detections.count, name)
            guard let expected = reference.embedding_of_image, let face = analysis.faces.first else { continue }
            let distance = descriptorDistance(face.embedding, expected)
            XCTAssertLessThanOrEqual(distance, 0.002, name)
            checked += 1
        }
        XCTAssertEqual(checked, 12)
    }

    func testOriginalPhotosStayCloseToDlib() throws {
        let pipeline = try pipeline()
        var checked = 0
        for name in try PipelineFixtures.names() {
            let reference = try PipelineFixtures.reference(name)
            guard let expected = reference.embedding_of_image else { continue }
            let analysis = try pipeline.analyze(imageBytes: original(reference))
            let face = try XCTUnwrap(analysis.faces.first, name)
            XCTAssertLessThanOrEqual(descriptorDistance(face.embedding, expected), 0.06, name)
            checked += 1
        }
        XCTAssertEqual(checked, 12)
    }

    func testCoordinatesAreInTheOriginalUprightFrame() throws {
        let pipeline = try pipeline()
        for name in ["obama_exif6", "obama3"] {
            let reference = try PipelineFixtures.reference(name)
            let analysis = try pipeline.analyze(imageBytes: original(reference))
            let face = try XCTUnwrap(analysis.faces.first)
            let refBox = try XCTUnwrap(reference.box)
            let scale = Double(analysis.width) / Double(reference.width)
            XCTAssertEqual(Double(analysis.height) / Double(reference.height), scale, accuracy: 0.01)
            // dlib's box on the working copy, scaled up: within 2 working pixels.
            XCTAssertEqual(face.box.left, refBox.left * scale, accuracy: 2 * scale, name)
            XCTAssertEqual(face.box.bottom, (refBox.bottom + 1) * scale - 1, accuracy: 2 * scale, name)
            for (p, q) in zip(face.landmarks, reference.points) {
                XCTAssertEqual(p.x, (q.x + 0.5) * scale - 0.5, accuracy: 2 * scale, name)
                XCTAssertEqual(p.y, (q.y + 0.5) * scale - 0.5, accuracy: 2 * scale, name)
            }
        }
    }

    func testIndexPairsKeepTheirSideOfTheThreshold() throws {
        let pipeline = try pipeline()
        let index = try PipelineFixtures.index()
        var embeddings: [String: [Float]] = [:]
        for name in index.distances_of_largest_faces.keys {
            let analysis = try pipeline.analyze(imageBytes: original(PipelineFixtures.reference(name)), options: .largestFace)
            embeddings[name] = try XCTUnwrap(analysis.faces.first, name).embedding
        }
        let exif6 = try XCTUnwrap(embeddings["obama_exif6"]), obama = try XCTUnwrap(embeddings["obama"])
        XCTAssertLessThan(descriptorDistance(exif6, obama), 0.6, "obama_exif6 matches obama")
        var pairs = 0
        for (a, row) in index.distances_of_largest_faces {
            for (b, dlibDistance) in row where a < b {
                let ours = descriptorDistance(try XCTUnwrap(embeddings[a]), try XCTUnwrap(embeddings[b]))
                XCTAssertEqual(ours < 0.6, dlibDistance < 0.6, "\(a)–\(b): ours \(ours), dlib \(dlibDistance)")
                pairs += 1
            }
        }
        XCTAssertEqual(pairs, 66)
    }

    func testNoFaceInCoffeeAndChelsea() throws {
        let pipeline = try pipeline()
        for name in ["coffee", "chelsea"] {
            let analysis = try pipeline.analyze(imageBytes: original(PipelineFixtures.reference(name)))
            XCTAssertTrue(analysis.faces.isEmpty, name)
            XCTAssertGreaterThan(analysis.width, 0)
        }
    }

    func testEmbedLimitKeepsTheOtherFacesWithoutDescriptors() throws {
        let pipeline = try pipeline()
        let reference = try PipelineFixtures.reference("two_people")
        let analysis = try pipeline.analyze(imageBytes: original(reference), options: .largestFace)
        XCTAssertEqual(analysis.faces.count, 2)
        XCTAssertEqual(analysis.faces[0].embedding.count, 128)
        XCTAssertEqual(analysis.faces[0].landmarks.count, 5)
        XCTAssertTrue(analysis.faces[1].embedding.isEmpty)
        XCTAssertGreaterThanOrEqual(analysis.faces[0].box.area, analysis.faces[1].box.area)
    }

    func testUndecodableBytesAreADecodeError() throws {
        let pipeline = try pipeline()
        XCTAssertThrowsError(try pipeline.analyze(imageBytes: Array("not an image".utf8))) { error in
            guard case .decode? = error as? FacePipelineError else { return XCTFail("\(error)") }
        }
    }
}
