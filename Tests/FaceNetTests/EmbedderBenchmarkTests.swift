import XCTest
@testable import FaceNet

final class EmbedderBenchmarkTests: XCTestCase {
    /// The benchmark's accounting (not its timing): the work it counts is the ResNet's, every
    /// layer is reported and the arena is the embedder's.
    func testBenchmarkCountsTheNetworksWork() throws {
        let model = try EmbedTestSupport.model()
        let chip = try EmbedTestSupport.loadRGB(EmbedTestSupport.referenceDirectory.appendingPathComponent("obama_chip.png"))
        let result = try EmbedderBenchmark.run(model: model, chip: chip, iterations: 3, warmup: 1)
        XCTAssertEqual(Double(result.macs) / 1e9, 0.27, accuracy: 0.02, "dlib's ResNet is about 0.27 GMAC")
        XCTAssertGreaterThan(result.medianMilliseconds, 0)
        XCTAssertLessThanOrEqual(result.minimumMilliseconds, result.medianMilliseconds)
        XCTAssertEqual(result.arenaBytes, try FaceEmbedder(model: model).arenaBytes)
        XCTAssertTrue(result.layers.contains { $0.name.hasPrefix("conv 7x7/2 3->32") })
        XCTAssertTrue(result.layers.contains { $0.name == "max pool" })
        XCTAssertTrue(result.layers.allSatisfy { $0.milliseconds >= 0 })
    }
}
