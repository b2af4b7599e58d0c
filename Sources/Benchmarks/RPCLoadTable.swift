import Foundation

/// The bench-rpc result table, each row with its target and whether it was met.
public struct RPCLoadTable {
    let sequential: RPCLoadRun
    let eight: RPCLoadRun
    let overload: RPCLoadRun
    let rssBeforeKiB: Int?
    let rssAfterKiB: Int?
    let duration: Double

    private struct Row {
        var scenario: String
        var measure: String
        var value: String
        var target: String
        var met: Bool?
    }

    public func render() -> String {
        let seq = Samples(sequential.ok)
        let eightStats = Samples(eight.ok)
        let rejected = Samples(overload.exhausted)
        let admitted = Samples(overload.ok)
        var rows = [
            Row(scenario: "(a) 1 client, sequential", measure: "Verify p50", value: ms(seq.percentile(50)),
                target: "<= 60 ms", met: seq.percentile(50).map { $0 <= 60 }),
            Row(scenario: "", measure: "Verify p99", value: ms(seq.percentile(99)), target: "", met: nil),
            Row(scenario: "(b) 8 clients, \(Int(duration)) s", measure: "throughput",
                value: String(format: "%.1f Verify/s", eight.throughput), target: ">= 30/s", met: eight.throughput >= 30),
            Row(scenario: "", measure: "Verify p50", value: ms(eightStats.percentile(50)), target: "", met: nil),
            Row(scenario: "", measure: "Verify p99", value: ms(eightStats.percentile(99)), target: "<= 300 ms",
                met: eightStats.percentile(99).map { $0 <= 300 }),
            Row(scenario: "(c) 64 clients, \(Int(duration)) s", measure: "admitted / rejected",
                value: "\(overload.ok.count) / \(overload.exhausted.count)", target: "", met: nil),
            Row(scenario: "", measure: "time to RESOURCE_EXHAUSTED p50", value: ms(rejected.percentile(50)), target: "", met: nil),
            Row(scenario: "", measure: "time to RESOURCE_EXHAUSTED p99", value: ms(rejected.percentile(99)),
                target: "<= 5 ms", met: rejected.percentile(99).map { $0 <= 5 }),
            Row(scenario: "", measure: "time to RESOURCE_EXHAUSTED max", value: ms(rejected.max), target: "", met: nil),
            Row(scenario: "", measure: "admitted Verify p99", value: ms(admitted.percentile(99)), target: "<= 400 ms",
                met: admitted.percentile(99).map { $0 <= 400 }),
            Row(scenario: "", measure: "admitted throughput", value: String(format: "%.1f Verify/s", overload.throughput),
                target: "", met: nil),
        ]
        if let before = rssBeforeKiB, let after = rssAfterKiB {
            let growth = Double(after - before) / Double(max(before, 1)) * 100
            rows.append(Row(scenario: "", measure: "server RSS before → after",
                            value: "\(before / 1024) → \(after / 1024) MiB (\(String(format: "%+.1f", growth))%)",
                            target: "flat (< +10%)", met: growth < 10))
        }
        let errors = [sequential, eight, overload].flatMap { $0.otherErrors }.map { "\($0.key)×\($0.value)" }
        if !errors.isEmpty {
            rows.append(Row(scenario: "other errors", measure: errors.joined(separator: ", "), value: "", target: "none", met: false))
        }
        let header = Row(scenario: "scenario", measure: "measure", value: "value", target: "target", met: nil)
        let widths = [rows + [header]].flatMap { $0 }.reduce(into: [0, 0, 0, 0]) { w, row in
            w[0] = max(w[0], row.scenario.count)
            w[1] = max(w[1], row.measure.count)
            w[2] = max(w[2], row.value.count)
            w[3] = max(w[3], row.target.count)
        }
        func line(_ row: Row) -> String {
            let verdict = row.met.map { $0 ? "met" : "MISSED" } ?? ""
            return "| " + [row.scenario.padding(toLength: widths[0], withPad: " ", startingAt: 0),
                           row.measure.padding(toLength: widths[1], withPad: " ", startingAt: 0),
                           row.value.padding(toLength: widths[2], withPad: " ", startingAt: 0),
                           row.target.padding(toLength: widths[3], withPad: " ", startingAt: 0),
                           verdict.padding(toLength: 6, withPad: " ", startingAt: 0)].joined(separator: " | ") + " |"
        }
        let rule = "|" + (widths + [6]).map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    private func ms(_ value: Double?) -> String {
        value.map { String(format: "%.1f ms", $0) } ?? "n/a"
    }
}
