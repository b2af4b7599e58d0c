import XCTest
@testable import FaceNet

final class FaceEmbedderTests: XCTestCase {
    func testEveryReferenceChipReproducesDlibsDescriptor() throws {
        let embedder = try FaceEmbedder(model: EmbedTestSupport.model())
        let names = try EmbedTestSupport.chipNames()
        XCTAssertGreaterThanOrEqual(names.count, 12)
        for name in names {
            let chip = try EmbedTestSupport.loadRGB(EmbedTestSupport.referenceDirectory.appendingPathComponent("\(name)_chip.png"))
            let expected = try EmbedTestSupport.referenceEmbedding(name)
            let got = try embedder.embed(chip: chip)
            XCTAssertEqual(got.count, 128)
            XCTAssertEqual(expected.count, 128)
            let diff = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(diff, 1e-4, "\(name): max |difference| \(diff)")
        }
    }
}
