import Foundation

/// Medians of repeated timings, in milliseconds.
enum BenchTiming {
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// One untimed warm-up run, then the median of `iterations` timed runs.
    static func medianMilliseconds(iterations: Int, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var times: [Double] = []
        times.reserveCapacity(iterations)
        for _ in 0..<max(1, iterations) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return median(times)
    }
}

/// This process's resident memory from /proc/self/status (Linux), in MB.
enum ProcessMemory {
    static func megabytes(_ field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kilobytes = line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Double($0) }
            return kilobytes.map { $0 / 1024 }
        }
        return nil
    }
}
