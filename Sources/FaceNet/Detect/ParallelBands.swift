import Dispatch

/// Splits `count` rows into one contiguous band per thread (at most `threads`, at least
/// `minimumRows` rows each) and runs the bands concurrently; the call returns when all are done.
enum ParallelBands {
    static func run(_ count: Int, threads: Int, minimumRows: Int = 16, _ body: (Range<Int>) -> Void) {
        let bands = min(max(threads, 1), max(1, count / max(minimumRows, 1)))
        if bands <= 1 {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UnsafeSendableBox(body)
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                box.value(count * band / bands..<count * (band + 1) / bands)
            }
        }
    }
}

/// Carries a closure over raw buffers into concurrentPerform: each band writes disjoint rows.
private struct UnsafeSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
