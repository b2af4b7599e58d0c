import XCTest
@_spi(Benchmarks) @testable import FaceNet

final class FaceEmbedderProfileTests: XCTestCase {
    /// The per-step hooks the layer benchmark reads: the work counted is the ResNet's, every step
    /// is named, and profiling charges each step the clock's ticks around it.
    func testProfileAccountsEveryStepOfTheNetwork() throws {
        let model = try EmbedTestSupport.model()
        let chip = try EmbedTestSupport.loadRGB(EmbedTestSupport.referenceDirectory.appendingPathComponent("obama_chip.png"))
        let embedder = try FaceEmbedder(model: model, threads: 1)
        let names = (0..<embedder.stepCount).map { embedder.stepInfo($0).name }
        let macs = (0..<embedder.stepCount).reduce(0) { $0 + embedder.stepInfo($1).macs }
        XCTAssertEqual(Double(macs) / 1e9, 0.27, accuracy: 0.02, "dlib's ResNet is about 0.27 GMAC")
        XCTAssertTrue(names.contains { $0.hasPrefix("conv 7x7/2 3->32") })
        XCTAssertTrue(names.contains("max pool"))

        // A clock that advances 1 per reading: every step sees exactly one tick.
        var ticks: UInt64 = 0
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: embedder.stepCount)
        defer { slots.deallocate() }
        slots.initialize(repeating: 0, count: embedder.stepCount)
        try embedder.profile(chip: chip, nanoseconds: slots, clock: { ticks += 1; return ticks })
        XCTAssertEqual(Array(UnsafeBufferPointer(start: slots, count: embedder.stepCount)),
                       [UInt64](repeating: 1, count: embedder.stepCount))
        // Profiling runs the real network: the descriptor afterwards is unchanged.
        XCTAssertEqual(try embedder.embed(chip: chip), try FaceEmbedder(model: model, threads: 1).embed(chip: chip))
    }
}
