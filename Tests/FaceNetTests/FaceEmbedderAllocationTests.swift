import MallocCounter
import XCTest
@_spi(Benchmarks) @testable import FaceNet

/// Counts every heap allocation in the process (MallocCounter interposes the C allocator) around
/// steady-state inference, step by step.
final class FaceEmbedderAllocationTests: XCTestCase {
    private struct Count { let calls: Int; let largest: Int }

    private func counting(_ body: () throws -> Void) rethrows -> Count {
        malloc_counter_start()
        defer { malloc_counter_stop() }
        try body()
        return Count(calls: malloc_counter_calls(), largest: malloc_counter_largest())
    }

    func testCounterSeesAllocations() {
        var array: [Int] = []
        let count = counting { array = [Int](repeating: 7, count: 10_000) }
        XCTAssertEqual(array.count, 10_000)
        XCTAssertGreaterThanOrEqual(count.calls, 1)
        XCTAssertGreaterThanOrEqual(count.largest, 80_000)
    }

    /// Our code allocates nothing per inference; what oneDNN's execute allocates is a few small
    /// bookkeeping blocks per primitive, never tensor memory (the smallest activation is 4 KB).
    func testSteadyStateInferenceAllocatesNoTensorMemory() throws {
        let embedder = try FaceEmbedder(model: EmbedTestSupport.model())
        let chip = try EmbedTestSupport.loadRGB(EmbedTestSupport.referenceDirectory.appendingPathComponent("obama_chip.png"))
        let output = UnsafeMutableBufferPointer<Float>.allocate(capacity: 128)
        defer { output.deallocate() }
        for _ in 0..<3 { try embedder.embed(chip: chip, into: output) }

        XCTAssertEqual(counting { embedder.prepare(chip: chip) }.calls, 0, "input normalisation")
        var oneDNNCalls = 0
        for i in 0..<embedder.stepCount {
            let count = try counting { try embedder.executeStep(i) }
            if embedder.stepUsesDNNL(i) {
                XCTAssertLessThanOrEqual(count.calls, 12, "step \(i) \(embedder.stepInfo(i).name)")
                XCTAssertLessThanOrEqual(count.largest, 256, "step \(i) allocated a buffer")
                oneDNNCalls += count.calls
            } else {
                XCTAssertEqual(count.calls, 0, "step \(i) \(embedder.stepInfo(i).name) is our loop")
            }
        }
        XCTAssertEqual(try counting { try embedder.engine.wait() }.calls, 0)
        XCTAssertEqual(counting { embedder.finish(into: output.baseAddress!) }.calls, 0, "pooling + fc head")

        let runs = 10
        let whole = try counting { for _ in 0..<runs { try embedder.embed(chip: chip, into: output) } }
        XCTAssertEqual(whole.calls, runs * oneDNNCalls, "a whole inference allocates only what its oneDNN steps do")
        XCTAssertLessThanOrEqual(whole.largest, 256)
    }
}
