import XCTest
@testable import MatchRPC

final class MetricsRegistryTests: XCTestCase {
    /// The bucket counts are cumulative: each `le` line counts every call at or under its bound.
    func testLatencyBucketsAreCumulativeWithSumAndCount() {
        let registry = MetricsRegistry()
        for seconds in [0.004, 0.04, 0.04, 0.4, 30] { registry.record(method: "Compare", code: "OK", seconds: seconds) }
        let text = registry.render()
        for (bound, count) in [("0.005", 1), ("0.05", 3), ("0.1", 3), ("0.5", 4), ("10.0", 4), ("+Inf", 5)] {
            XCTAssertTrue(text.contains("facematch_call_duration_seconds_bucket{method=\"Compare\",le=\"\(bound)\"} \(count)\n"),
                          "le=\(bound): \(text)")
        }
        XCTAssertTrue(text.contains("facematch_call_duration_seconds_count{method=\"Compare\"} 5\n"), text)
        let sum = text.split(separator: "\n").first { $0.hasPrefix("facematch_call_duration_seconds_sum{method=\"Compare\"}") }
        XCTAssertEqual(sum.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0, 30.484, accuracy: 1e-6)
    }

    func testRendersCountersHistogramsAndGauges() {
        let registry = MetricsRegistry(gauges: { [.init(name: "facematch_queue_depth", help: "Waiting calls.", value: 3)] })
        registry.record(method: "Verify", code: "OK", seconds: 0.02)
        registry.record(method: "Verify", code: "OK", seconds: 0.2)
        registry.record(method: "Verify", code: "RESOURCE_EXHAUSTED", seconds: 0.0001)
        XCTAssertEqual(registry.callCount(method: "Verify", code: "OK"), 2)
        XCTAssertEqual(registry.callCount(method: "Verify", code: "INTERNAL"), 0)
        let text = registry.render()
        XCTAssertTrue(text.contains("facematch_calls_total{method=\"Verify\",code=\"OK\"} 2\n"), text)
        XCTAssertTrue(text.contains("facematch_calls_total{method=\"Verify\",code=\"RESOURCE_EXHAUSTED\"} 1\n"), text)
        XCTAssertTrue(text.contains("# TYPE facematch_calls_total counter\n"), text)
        XCTAssertTrue(text.contains("# TYPE facematch_call_duration_seconds histogram\n"), text)
        XCTAssertTrue(text.contains("facematch_call_duration_seconds_bucket{method=\"Verify\",le=\"0.025\"} 2\n"), text)
        XCTAssertTrue(text.contains("facematch_call_duration_seconds_bucket{method=\"Verify\",le=\"+Inf\"} 3\n"), text)
        XCTAssertTrue(text.contains("facematch_call_duration_seconds_count{method=\"Verify\"} 3\n"), text)
        XCTAssertTrue(text.contains("# TYPE facematch_queue_depth gauge\n"), text)
        XCTAssertTrue(text.contains("\nfacematch_queue_depth 3.0\n"), text)
    }

    /// Each server has its own registry: one server's calls never show in another's /metrics.
    func testRegistriesAreIndependent() {
        let a = MetricsRegistry(), b = MetricsRegistry()
        a.record(method: "Health", code: "OK", seconds: 0.001)
        XCTAssertTrue(a.render().contains("facematch_calls_total{method=\"Health\",code=\"OK\"} 1\n"))
        XCTAssertFalse(b.render().contains("Health"))
    }
}
