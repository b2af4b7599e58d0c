import XCTest
@testable import FaceNet

final class ArenaPlannerTests: XCTestCase {
    /// No two buffers alive at the same step may share bytes.
    private func assertNoLiveOverlap(_ planner: ArenaPlanner, _ plan: ArenaPlan, file: StaticString = #filePath, line: UInt = #line) {
        let b = planner.buffers
        for i in b.indices {
            XCTAssertEqual(plan.offsets[i] % ArenaPlanner.alignment, 0, file: file, line: line)
            XCTAssertLessThanOrEqual(plan.offsets[i] + b[i].bytes, plan.bytes, file: file, line: line)
            for j in b.indices where j > i {
                let together = b[i].firstUse <= b[j].lastUse && b[j].firstUse <= b[i].lastUse
                let disjoint = plan.offsets[i] + b[i].bytes <= plan.offsets[j] || plan.offsets[j] + b[j].bytes <= plan.offsets[i]
                XCTAssertTrue(!together || disjoint, "buffers \(i) and \(j) overlap while both alive", file: file, line: line)
            }
        }
    }

    func testChainReusesDeadBuffers() {
        // A -> B -> C -> D: each step reads one buffer and writes the next (ping-pong).
        var planner = ArenaPlanner()
        for step in 0..<4 { _ = planner.add(bytes: 1000, firstUse: step, lastUse: step + 1) }
        let plan = planner.plan()
        assertNoLiveOverlap(planner, plan)
        XCTAssertEqual(plan.bytes, 2 * 1024, "two 1000-byte buffers (64-aligned) are enough for a chain")
        XCTAssertEqual(plan.naiveBytes, 4 * 1024)
    }

    func testLargestFirstFillsGaps() {
        var planner = ArenaPlanner()
        let big = planner.add(bytes: 4096, firstUse: 0, lastUse: 1)
        let long = planner.add(bytes: 1024, firstUse: 0, lastUse: 5)
        let late = planner.add(bytes: 4000, firstUse: 2, lastUse: 3)
        let small = planner.add(bytes: 64, firstUse: 4, lastUse: 5)
        let plan = planner.plan()
        assertNoLiveOverlap(planner, plan)
        XCTAssertEqual(plan.offsets[big], 0)
        XCTAssertEqual(plan.offsets[late], 0, "the dead big buffer's space is reused")
        XCTAssertEqual(plan.offsets[long], 4096)
        XCTAssertEqual(plan.offsets[small], 0)
        XCTAssertEqual(plan.bytes, 4096 + 1024)
    }

    func testRandomLifetimesNeverCollide() {
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33) % n
        }
        for _ in 0..<20 {
            var planner = ArenaPlanner()
            for _ in 0..<30 {
                let first = next(40)
                _ = planner.add(bytes: 1 + next(5000), firstUse: first, lastUse: first + next(10))
            }
            let plan = planner.plan()
            assertNoLiveOverlap(planner, plan)
            XCTAssertLessThanOrEqual(plan.bytes, plan.naiveBytes)
        }
    }
}
