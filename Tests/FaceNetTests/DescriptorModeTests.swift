import Foundation
import XCTest
@testable import FaceNet

/// The pipeline's descriptor modes and quality measures on a fixture photo, with the real models.
final class DescriptorModeTests: XCTestCase {
    private static let models = Result { try FaceModels(directory: PipelineFixtures.modelDir.path) }
    private lazy var pipeline = Result { try FacePipeline(models: try Self.models.get()) }

    private func photo(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: PipelineFixtures.facesDir.appendingPathComponent(name)))
    }

    private func descriptor(_ name: String, _ mode: DescriptorMode) throws -> [Float] {
        let analysis = try pipeline.get().analyze(imageBytes: try photo(name), options: FacePipeline.Options(embedLimit: 1, descriptorMode: mode))
        return try XCTUnwrap(analysis.faces.first?.embedding, name)
    }

    func testMirrorAveragedIsTheMeanOfTheChipsAndItsMirrorsDescriptors() throws {
        let pipeline = try pipeline.get()
        let decoded = try ImageDecoder.decode(try photo("obama.jpg"))
        let box = try XCTUnwrap(try pipeline.detector.detect(decoded.image).first?.box)
        let plain = try pipeline.describe(decoded.image, box: box)
        let mirrored = try pipeline.embedder.embed(chip: ChipVariants.mirrored(plain.chip))
        let averaged = try pipeline.describe(decoded.image, box: box, mode: .mirrorAveraged)
        for i in averaged.embedding.indices {
            XCTAssertEqual(averaged.embedding[i], (plain.embedding[i] + mirrored[i]) / 2, accuracy: 1e-6)
        }
        XCTAssertEqual(averaged.chip, plain.chip, "the chip reported is the unmirrored one")
        XCTAssertGreaterThan(descriptorDistance(mirrored, plain.embedding), 0.01, "the mirror is another view")
    }

    func testModesStayInTheSameDescriptorSpace() throws {
        let single = try descriptor("obama.jpg", .single)
        XCTAssertEqual(try descriptor("obama.jpg", .jittered(count: 1)), single, "one jittered view is the plain chip")
        for mode in [DescriptorMode.mirrorAveraged, .jittered(count: 3)] {
            let other = try descriptor("obama.jpg", mode)
            XCTAssertNotEqual(other, single, "\(mode)")
            XCTAssertLessThan(descriptorDistance(other, single), 0.15, "\(mode)")
            XCTAssertEqual(try descriptor("obama.jpg", mode), other, "\(mode) repeats exactly")
            // Still dlib's scale: same person well under 0.6, another person well over.
            XCTAssertLessThan(descriptorDistance(other, try descriptor("obama2.jpg", mode)), 0.5, "\(mode)")
            XCTAssertGreaterThan(descriptorDistance(other, try descriptor("biden.jpg", mode)), 0.7, "\(mode)")
        }
        XCTAssertEqual(DescriptorMode.mirrorAveraged.passes, 2)
        XCTAssertEqual(DescriptorMode.jittered(count: 5).passes, 5)
    }

    func testDescribedFacesCarryQualityAndCountedOnesDoNot() throws {
        let analysis = try pipeline.get().analyze(imageBytes: try photo("two_people.jpg"), options: .largestFace)
        XCTAssertEqual(analysis.faces.count, 2)
        let quality = try XCTUnwrap(analysis.faces[0].quality)
        XCTAssertEqual(quality.eyeDistance, 67.9, accuracy: 2, "original pixels of the 1126x661 photo")
        XCTAssertEqual(quality.outsideFraction, 0)
        XCTAssertNil(analysis.faces[1].quality)
    }
}
