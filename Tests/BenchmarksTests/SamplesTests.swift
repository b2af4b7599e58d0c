import XCTest
@testable import Benchmarks

/// The one median and percentile every benchmark table uses.
final class SamplesTests: XCTestCase {
    func testMedianOfOddAndEvenCounts() {
        XCTAssertEqual(Samples([5, 1, 3]).median, 3)
        XCTAssertEqual(Samples([4, 1, 3, 2]).median, 2.5)
        XCTAssertTrue(Samples([]).median.isNaN)
    }

    /// Nearest rank: the smallest sample with at least p% of the samples at or below it.
    func testPercentilesAreNearestRank() {
        let hundred = Samples((1...100).map(Double.init).shuffled())
        XCTAssertEqual(hundred.percentile(50), 50)
        XCTAssertEqual(hundred.percentile(99), 99)
        XCTAssertEqual(hundred.percentile(100), 100)
        XCTAssertEqual(hundred.percentile(0), 1)
        let twentyOne = Samples((1...21).map(Double.init))
        XCTAssertEqual(twentyOne.percentile(50), twentyOne.median, "p50 of an odd count is the median")
        XCTAssertEqual(twentyOne.percentile(90), 19)
        XCTAssertNil(Samples([]).percentile(50))
        XCTAssertEqual(hundred.min, 1)
        XCTAssertEqual(hundred.max, 100)
    }

    func testTimingRunsTheBodyOnceMoreThanItTimes() {
        var calls = 0
        let samples = BenchClock.time(iterations: 4) { calls += 1 }
        XCTAssertEqual(calls, 5, "one untimed warm-up")
        XCTAssertEqual(samples.count, 4)
        XCTAssertTrue(samples.sorted.allSatisfy { $0 >= 0 })
    }

    func testOwnResidentMemoryIsReadable() throws {
        let rss = try XCTUnwrap(ProcessMemory.kibibytes("VmRSS"))
        let peak = try XCTUnwrap(ProcessMemory.kibibytes("VmHWM"))
        XCTAssertGreaterThan(rss, 1024, "a Swift test process holds more than 1 MiB")
        XCTAssertGreaterThanOrEqual(peak, rss)
        XCTAssertNil(ProcessMemory.kibibytes("NoSuchField"))
    }
}
