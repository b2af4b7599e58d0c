import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus

/// The service's metrics, kept by swift-metrics handlers backed by one swift-prometheus registry
/// per server, which renders them in the Prometheus text format (0.0.4):
/// - `facematch_calls_total{method,code}`: calls answered, by method and gRPC status code name;
/// - `facematch_call_duration_seconds{method}`: histogram of the server-side time from a request
///   frame to its response (buckets 5 ms … 10 s);
/// - `facematch_protocol_errors_total{kind}`: protocol errors, by kind (a fixed label);
/// - `facematch_retention_erased_templates_total{application}`: templates the retention sweep erased;
/// - gauges (queue depth, in flight, store size, subjects waiting for a model migration per
///   application) read at scrape time from `gauges`.
/// A registry per server (not the global `MetricsSystem`) keeps servers and tests apart. The text
/// has no `# HELP` lines: swift-prometheus's swift-metrics factory registers every metric with
/// empty help (`Gauge.help` is kept for the call sites and docs/service.md).
final class MetricsRegistry: Sendable {
    public struct Gauge: Sendable {
        public var name: String
        public var help: String
        public var value: Double
        /// Fixed label names with values from the config (application ids), never client input.
        public var labels: [(String, String)]

        public init(name: String, help: String, value: Double, labels: [(String, String)] = []) {
            self.name = name
            self.help = help
            self.value = value
            self.labels = labels
        }

        var key: String { ([name] + labels.map { "\($0.0)=\($0.1)" }).joined(separator: "\u{0}") }
    }

    /// Upper bounds of the latency histogram's buckets, in seconds.
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct CallKey: Hashable {
        var method: String
        var code: String
    }

    private struct Handlers {
        var calls: [CallKey: (counter: CoreMetrics.Counter, total: UInt64)] = [:]
        var durations: [String: CoreMetrics.Timer] = [:]
        var gauges: [String: CoreMetrics.Gauge] = [:]
        var protocolErrors: [String: (counter: CoreMetrics.Counter, total: UInt64)] = [:]
        var retentionErased: [String: (counter: CoreMetrics.Counter, total: UInt64)] = [:]
    }

    private let prometheus = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let handlers = NIOLockedValueBox(Handlers())
    private let gauges: @Sendable () -> [Gauge]

    public init(gauges: @escaping @Sendable () -> [Gauge] = { [] }) {
        var factory = PrometheusMetricsFactory(registry: prometheus)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets.map { .nanoseconds(Int64(($0 * 1e9).rounded())) }
        self.factory = factory
        self.gauges = gauges
    }

    /// One answered call: its method, status code name, and server-side seconds.
    public func record(method: String, code: String, seconds: Double) {
        let (counter, timer) = handlers.withLockedValue { h -> (CoreMetrics.Counter, CoreMetrics.Timer) in
            let key = CallKey(method: method, code: code)
            let counter = h.calls[key]?.counter
                ?? CoreMetrics.Counter(label: "facematch_calls_total", dimensions: [("method", method), ("code", code)], factory: factory)
            h.calls[key] = (counter, (h.calls[key]?.total ?? 0) + 1)
            let timer = h.durations[method]
                ?? CoreMetrics.Timer(label: "facematch_call_duration_seconds", dimensions: [("method", method)], factory: factory)
            h.durations[method] = timer
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// One protocol error; `kind` is a fixed label, never client input.
    public func recordProtocolError(kind: String) {
        let counter = handlers.withLockedValue { h -> CoreMetrics.Counter in
            let counter = h.protocolErrors[kind]?.counter
                ?? CoreMetrics.Counter(label: "facematch_protocol_errors_total", dimensions: [("kind", kind)], factory: factory)
            h.protocolErrors[kind] = (counter, (h.protocolErrors[kind]?.total ?? 0) + 1)
            return counter
        }
        counter.increment()
    }

    /// Templates erased by one retention sweep of `application` (0 still makes the series visible).
    func recordRetentionErased(application: String, templates: Int) {
        let counter = handlers.withLockedValue { h -> CoreMetrics.Counter in
            let counter = h.retentionErased[application]?.counter
                ?? CoreMetrics.Counter(label: "facematch_retention_erased_templates_total",
                                       dimensions: [("application", application)], factory: factory)
            h.retentionErased[application] = (counter, (h.retentionErased[application]?.total ?? 0) + UInt64(templates))
            return counter
        }
        counter.increment(by: templates)
    }

    func retentionErasedCount(application: String) -> UInt64 {
        handlers.withLockedValue { $0.retentionErased[application]?.total ?? 0 }
    }

    public func protocolErrorCount(kind: String) -> UInt64 {
        handlers.withLockedValue { $0.protocolErrors[kind]?.total ?? 0 }
    }

    public func callCount(method: String, code: String) -> UInt64 {
        handlers.withLockedValue { $0.calls[CallKey(method: method, code: code)]?.total ?? 0 }
    }

    public func render() -> String {
        for gauge in gauges() {
            let handler = handlers.withLockedValue { h in
                if let existing = h.gauges[gauge.key] { return existing }
                let made = CoreMetrics.Gauge(label: gauge.name, dimensions: gauge.labels, factory: factory)
                h.gauges[gauge.key] = made
                return made
            }
            handler.record(gauge.value)
        }
        var bytes: [UInt8] = []
        prometheus.emit(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
