import Foundation
import NIOCore

/// A fixed set of dedicated threads, each owning its analyzers (one per model), fed from a bounded
/// `AdmissionQueue`. Inference blocks for tens of milliseconds, so it runs here: never on a NIO
/// event loop and never on Swift's cooperative pool.
final class WorkerPool: @unchecked Sendable {
    /// One admitted call. `run` executes on a worker thread with that thread's analyzers and
    /// returns the delivery of its answer, which the pool calls only once the worker counts as
    /// free again: a client that sends its next call as soon as the answer arrives must find
    /// the worker free, or it would be refused for a queue that is in fact empty.
    /// `reject` is called instead when the call is refused or expires while waiting.
    public struct Job: Sendable {
        public let run: @Sendable (ModelAnalyzers) -> @Sendable () -> Void
        public let reject: @Sendable (AdmissionQueue<Job>.Rejection) -> Void

        public init(run: @escaping @Sendable (ModelAnalyzers) -> @Sendable () -> Void,
                    reject: @escaping @Sendable (AdmissionQueue<Job>.Rejection) -> Void) {
            self.run = run
            self.reject = reject
        }
    }

    public typealias Ticket = AdmissionQueue<Job>.Ticket

    public enum StartError: Error {
        case analyzerFailed(worker: Int, underlying: String)
    }

    public let workerCount: Int
    public let capacity: Int
    private let engines: FaceEngines
    private let now: @Sendable () -> UInt64
    // `condition` guards everything below it.
    private let condition = NSCondition()
    private var queue: AdmissionQueue<Job>
    private var readyWorkers = 0
    private var startFailure: StartError?
    private var drainedCallbacks: [@Sendable () -> Void] = []

    /// - Parameters:
    ///   - workers: threads (one analyzer per model each); at least 1.
    ///   - capacity: calls allowed to wait for a worker before new ones get RESOURCE_EXHAUSTED.
    ///   - now: monotonic nanoseconds, the clock deadlines are expressed in (NIO's by default, as
    ///     the server computes deadlines with `NIODeadline`).
    ///   - latencyBudget: nanoseconds; when set, calls whose predicted wait plus run exceeds it are
    ///     refused at once (see `AdmissionQueue`).
    public init(engines: FaceEngines, workers: Int, capacity: Int, latencyBudget: UInt64? = nil,
                now: @escaping @Sendable () -> UInt64 = { NIODeadline.now().uptimeNanoseconds }) {
        self.engines = engines
        self.workerCount = max(1, workers)
        self.now = now
        self.capacity = max(0, capacity)
        self.queue = AdmissionQueue(capacity: capacity, workers: workerCount, latencyBudget: latencyBudget)
    }

    /// Starts the threads and waits until each has made its analyzers.
    public func start() throws {
        for index in 0..<workerCount {
            let thread = Thread { [self] in workerMain(index: index) }
            thread.name = "facematch-worker-\(index)"
            thread.stackSize = 16 << 20
            thread.start()
        }
        condition.lock()
        defer { condition.unlock() }
        while readyWorkers < workerCount && startFailure == nil {
            condition.wait()
        }
        if let startFailure {
            queue.beginShutdown()
            condition.broadcast()
            throw startFailure
        }
    }

    /// Admits a call or refuses it at once (the job's `reject` is then already called).
    @discardableResult
    public func submit(_ job: Job, deadline: UInt64?) -> Ticket? {
        condition.lock()
        let outcome = queue.submit(job, deadline: deadline, now: now())
        if case .queued = outcome { condition.signal() }
        condition.unlock()
        switch outcome {
        case .queued(let ticket):
            return ticket
        case .rejected(let reason, let job):
            job.reject(reason)
            return nil
        }
    }

    /// Why a call submitted now would be refused (nil: it would be admitted), without submitting.
    public func refusal(deadline: UInt64?) -> AdmissionQueue<Job>.Rejection? {
        condition.lock()
        defer { condition.unlock() }
        return queue.refusal(deadline: deadline, now: now())
    }

    /// For a refused call: milliseconds until a retry would likely be admitted (0: no estimate).
    public var retryAfterMilliseconds: UInt32 {
        condition.lock()
        defer { condition.unlock() }
        guard let nanoseconds = queue.retryAfter else { return 0 }
        return UInt32(min(nanoseconds / 1_000_000, 600_000))
    }

    /// Drops a still-waiting call without answering it (its connection closed, or its deadline
    /// passed and the connection answered it). False when a worker already took it.
    @discardableResult
    public func withdraw(_ ticket: Ticket) -> Bool {
        condition.lock()
        let job = queue.cancel(ticket)
        condition.unlock()
        return job != nil
    }

    public var snapshot: (waiting: Int, running: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (queue.depth, queue.running)
    }

    /// Stops admitting (new calls are rejected `.shuttingDown`); admitted calls still run.
    public func beginShutdown() {
        condition.lock()
        queue.beginShutdown()
        condition.broadcast()
        condition.unlock()
    }

    /// Stops admitting; calls already admitted still run. `onDrained` runs once the last one
    /// finished (at once if none is left), on whichever thread finished it.
    public func shutdown(onDrained: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.beginShutdown()
        condition.broadcast()
        let drained = queue.isDrained
        if !drained { drainedCallbacks.append(onDrained) }
        condition.unlock()
        if drained { onDrained() }
    }

    public func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            shutdown { continuation.resume() }
        }
    }

    /// Workers run at a lower scheduling priority (nice +10, inherited by the inference library's
    /// own threads) so that under saturation the event loops still get the CPU they need to
    /// refuse excess calls at once and to move bytes. Not lower: other work on the host at
    /// nice 0 would then starve inference altogether.
    static let workerNiceness: Int32 = 10

    private func workerMain(index: Int) {
        #if os(Linux)
        // who = 0: on Linux this applies to the calling thread only.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.workerNiceness)
        #endif
        let analyzers: ModelAnalyzers
        do {
            analyzers = try engines.makeAnalyzers()
        } catch {
            condition.lock()
            startFailure = .analyzerFailed(worker: index, underlying: String(describing: error))
            condition.broadcast()
            condition.unlock()
            return
        }
        condition.lock()
        readyWorkers += 1
        condition.broadcast()
        condition.unlock()

        while let job = nextJob() {
            let started = now()
            let deliver = job.run(analyzers)
            let runTime = now() &- started
            condition.lock()
            queue.finish(runTime: runTime)
            let callbacks = takeDrainedCallbacksLocked()
            condition.unlock()
            deliver()
            callbacks.forEach { $0() }
        }
    }

    /// Blocks until there is a call to run; nil when the pool is shut down and empty.
    private func nextJob() -> Job? {
        condition.lock()
        while true {
            let (expired, outcome) = queue.take(now: now())
            if !expired.isEmpty {
                condition.unlock()
                expired.forEach { $0.reject(.deadlinePassed) }
                condition.lock()
            }
            switch outcome {
            case .run(let job):
                condition.unlock()
                return job
            case .wait:
                if expired.isEmpty { condition.wait() }
            case .finished:
                let callbacks = takeDrainedCallbacksLocked()
                condition.unlock()
                callbacks.forEach { $0() }
                return nil
            }
        }
    }

    private func takeDrainedCallbacksLocked() -> [@Sendable () -> Void] {
        guard queue.isDrained, !drainedCallbacks.isEmpty else { return [] }
        defer { drainedCallbacks.removeAll() }
        return drainedCallbacks
    }
}
