import XCTest
@testable import MatchRPC

final class MetricsRegistryTests: XCTestCase {
    func testHistogramBucketsAreCumulative() {
        var histogram = LatencyHistogram(bounds: [0.01, 0.1, 1])
        for seconds in [0.005, 0.05, 0.05, 0.5, 3] { histogram.observe(seconds) }
        XCTAssertEqual(histogram.cumulative, [1, 3, 4, 5])
        XCTAssertEqual(histogram.count, 5)
        XCTAssertEqual(histogram.sum, 3.605, accuracy: 1e-9)
    }

    func testRendersCountersHistogramsAndGauges() {
        let registry = MetricsRegistry(gauges: { [.init(name: "facematch_queue_depth", help: "Waiting calls.", value: 3)] })
        registry.record(method: "Verify", code: "OK", seconds: 0.02)
        registry.record(method: "Verify", code: "OK", seconds: 0.2)
        registry.record(method: "Verify", code: "RESOURCE_EXHAUSTED", seconds: 0.0001)
        XCTAssertEqual(registry.callCount(method: "Verify", code: "OK"), 2)
        let text = registry.render()
        XCTAssertTrue(text.contains("facematch_calls_total{method=\"Verify\",code=\"OK\"} 2\n"), text)
        XCTAssertTrue(text.contains("facematch_calls_total{method=\"Verify\",code=\"RESOURCE_EXHAUSTED\"} 1\n"))
        XCTAssertTrue(text.contains("facematch_call_duration_seconds_bucket{method=\"Verify\",le=\"0.025\"} 2\n"), text)
        XCTAssertTrue(text.contains("facematch_call_duration_seconds_bucket{method=\"Verify\",le=\"+Inf\"} 3\n"))
        XCTAssertTrue(text.contains("facematch_call_duration_seconds_count{method=\"Verify\"} 3\n"))
        XCTAssertTrue(text.contains("# TYPE facematch_queue_depth gauge\nfacematch_queue_depth 3.0\n"))
    }
}
