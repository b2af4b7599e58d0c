#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The benchmarks' clocks: monotonic wall time, and CPU time to tell work from waiting for a core
/// on a busy machine. None of them allocates.
public enum BenchClock {
    /// CLOCK_MONOTONIC in nanoseconds.
    public static func nanoseconds() -> UInt64 {
        read(CLOCK_MONOTONIC)
    }

    /// Milliseconds since `start` (a `nanoseconds()` reading).
    public static func milliseconds(since start: UInt64) -> Double {
        Double(nanoseconds() &- start) / 1e6
    }

    /// CPU seconds of this process (user + system, all threads).
    public static func processCPUSeconds() -> Double {
        Double(read(CLOCK_PROCESS_CPUTIME_ID)) / 1e9
    }

    /// CPU seconds of the calling thread.
    public static func threadCPUSeconds() -> Double {
        Double(read(CLOCK_THREAD_CPUTIME_ID)) / 1e9
    }

    /// One untimed warm-up run of `body`, then `iterations` timed runs, in milliseconds.
    public static func time(iterations: Int, _ body: () throws -> Void) rethrows -> Samples {
        try body()
        var times: [Double] = []
        times.reserveCapacity(iterations)
        for _ in 0..<Swift.max(1, iterations) {
            let start = nanoseconds()
            try body()
            times.append(milliseconds(since: start))
        }
        return Samples(times)
    }

    private static func read(_ clock: clockid_t) -> UInt64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
