import NIOConcurrencyHelpers

/// Call counters and latency histograms, rendered in the Prometheus text format (0.0.4).
/// Gauges (queue depth, in flight, store size) are read at scrape time from `gauges`.
public final class MetricsRegistry: Sendable {
    public struct Gauge: Sendable {
        public var name: String
        public var help: String
        public var value: Double

        public init(name: String, help: String, value: Double) {
            self.name = name
            self.help = help
            self.value = value
        }
    }

    private struct CallKey: Hashable {
        var method: String
        var code: String
    }

    private struct State {
        var calls: [CallKey: UInt64] = [:]
        var latency: [String: LatencyHistogram] = [:]
        var protocolErrors: [String: UInt64] = [:]
    }

    private let state = NIOLockedValueBox(State())
    private let gauges: @Sendable () -> [Gauge]

    public init(gauges: @escaping @Sendable () -> [Gauge] = { [] }) {
        self.gauges = gauges
    }

    /// One answered call: its method, status code name, and server-side seconds.
    public func record(method: String, code: String, seconds: Double) {
        state.withLockedValue { state in
            state.calls[CallKey(method: method, code: code), default: 0] += 1
            state.latency[method, default: LatencyHistogram()].observe(seconds)
        }
    }

    /// One protocol error; `kind` is a fixed label, never client input.
    public func recordProtocolError(kind: String) {
        state.withLockedValue { $0.protocolErrors[kind, default: 0] += 1 }
    }

    public func protocolErrorCount(kind: String) -> UInt64 {
        state.withLockedValue { $0.protocolErrors[kind] ?? 0 }
    }

    public func callCount(method: String, code: String) -> UInt64 {
        state.withLockedValue { $0.calls[CallKey(method: method, code: code)] ?? 0 }
    }

    public func render() -> String {
        let snapshot = state.withLockedValue { $0 }
        var out = "# HELP facematch_calls_total Calls answered, by method and gRPC status code.\n"
        out += "# TYPE facematch_calls_total counter\n"
        for (key, value) in snapshot.calls.sorted(by: { ($0.key.method, $0.key.code) < ($1.key.method, $1.key.code) }) {
            out += "facematch_calls_total{method=\"\(key.method)\",code=\"\(key.code)\"} \(value)\n"
        }
        out += "# HELP facematch_call_duration_seconds Server-side time from a request frame to its response.\n"
        out += "# TYPE facematch_call_duration_seconds histogram\n"
        for (method, histogram) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            let cumulative = histogram.cumulative
            for (index, bound) in histogram.bounds.enumerated() {
                out += "facematch_call_duration_seconds_bucket{method=\"\(method)\",le=\"\(bound)\"} \(cumulative[index])\n"
            }
            out += "facematch_call_duration_seconds_bucket{method=\"\(method)\",le=\"+Inf\"} \(histogram.count)\n"
            out += "facematch_call_duration_seconds_sum{method=\"\(method)\"} \(histogram.sum)\n"
            out += "facematch_call_duration_seconds_count{method=\"\(method)\"} \(histogram.count)\n"
        }
        out += "# HELP facematch_protocol_errors_total Protocol errors (malformed frames and envelopes, slow senders), by kind.\n"
        out += "# TYPE facematch_protocol_errors_total counter\n"
        for (kind, value) in snapshot.protocolErrors.sorted(by: { $0.key < $1.key }) {
            out += "facematch_protocol_errors_total{kind=\"\(kind)\"} \(value)\n"
        }
        for gauge in gauges() {
            out += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n\(gauge.name) \(gauge.value)\n"
        }
        return out
    }
}
