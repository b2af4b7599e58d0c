import DequeModule

/// The admission core: a bounded FIFO of calls waiting for a worker, each with an optional deadline.
///
/// I/O-free and clock-free: every operation that needs the time takes `now` (nanoseconds on any
/// monotonic clock), so the rules are tested without threads, sockets or sleeps. `WorkerPool` is
/// the thin adapter that owns one of these behind a lock.
///
/// Rules:
/// - A call is refused at once when `capacity` calls are already waiting (`.full`), when the
///   queue is shutting down (`.shuttingDown`), or when its deadline has already passed.
/// - With a latency budget, a call is also refused at once when its predicted time to an answer
///   exceeds the budget (`.overBudget`): waiting longer than callers tolerate helps nobody, and a
///   prompt refusal lets them retry elsewhere. The prediction uses a moving average of recent run
///   times; a call that can start at once is always admitted.
/// - A worker takes the oldest waiting call; calls whose deadline passed while they waited are
///   handed back as expired and never run.
/// - After `beginShutdown()` waiting calls still run (graceful drain); `take` answers `.finished`
///   once nothing waits.
struct AdmissionQueue<Job> {
    public struct Ticket: Hashable, Sendable {
        public let raw: UInt64
    }

    public enum Rejection: Equatable, Sendable {
        case full(capacity: Int)
        /// Predicted milliseconds to an answer, and the budget they exceed.
        case overBudget(predictedMilliseconds: Int, budgetMilliseconds: Int)
        case deadlinePassed
        case shuttingDown
    }

    public enum SubmitOutcome {
        case queued(Ticket)
        case rejected(Rejection, Job)
    }

    public enum TakeOutcome {
        case run(Job)
        case wait
        case finished
    }

    private struct Entry {
        let ticket: Ticket
        let job: Job
        let deadline: UInt64?
    }

    public let capacity: Int
    /// Calls that run at the same time (the worker threads).
    public let workers: Int
    /// Longest predicted wait-plus-run (nanoseconds) a new call may face; nil: capacity alone decides.
    public let latencyBudget: UInt64?
    /// Moving average of recent calls' run times (nanoseconds); nil before the first finishes.
    public private(set) var runTimeEstimate: UInt64?
    private var waiting: Deque<Entry> = []
    private var nextTicket: UInt64 = 0
    /// Calls handed to a worker and not yet reported finished.
    public private(set) var running = 0
    public private(set) var isShuttingDown = false

    public init(capacity: Int, workers: Int = 1, latencyBudget: UInt64? = nil) {
        self.capacity = max(0, capacity)
        self.workers = max(1, workers)
        self.latencyBudget = latencyBudget
    }

    /// Predicted nanoseconds from admission to answer for a call submitted now: its own run time
    /// plus, when every worker is busy, its share of the calls ahead of it (each worker finishes
    /// one every estimate; the running ones are on average half done). nil without an estimate.
    public var predictedLatency: UInt64? {
        runTimeEstimate.map { predicted(estimate: $0, depth: depth, running: running) }
    }

    private func predicted(estimate: UInt64, depth: Int, running: Int) -> UInt64 {
        let ahead = depth + running
        guard ahead >= workers else { return estimate }
        // Completions needed before this call starts, spread over the workers.
        let needed = Double(ahead - workers + 1)
        let wait = (needed - 0.5) / Double(workers) * Double(estimate)
        return estimate + UInt64(max(0, wait))
    }

    /// For a refused call: nanoseconds until a retry would likely be admitted, if nothing else
    /// arrived meanwhile (each worker finishes a call every run-time estimate). nil without an
    /// estimate, or when the queue is shutting down.
    public var retryAfter: UInt64? {
        guard let estimate = runTimeEstimate, !isShuttingDown else { return nil }
        var (waiting, busy) = (depth, running)
        var completions: UInt64 = 0
        while waiting + busy > 0, waiting >= capacity || overBudget(depth: waiting, running: busy) != nil {
            if waiting > 0 { waiting -= 1 } else { busy -= 1 }
            completions += 1
        }
        return max(1_000_000, completions * estimate / UInt64(workers))
    }

    /// The predicted latency of a new call when it exceeds the budget with `depth` calls waiting
    /// and `running` running; nil when it fits, when every worker is not busy, or without an
    /// estimate or a budget.
    private func overBudget(depth: Int, running: Int) -> UInt64? {
        guard let budget = latencyBudget, let estimate = runTimeEstimate, depth + running >= workers else { return nil }
        let latency = predicted(estimate: estimate, depth: depth, running: running)
        return latency > budget ? latency : nil
    }

    /// Calls waiting for a worker.
    public var depth: Int { waiting.count }

    /// True once shutdown began and every admitted call has finished.
    public var isDrained: Bool { isShuttingDown && depth == 0 && running == 0 }

    /// Why a call submitted now would be refused; nil when it would be admitted. Lets a server
    /// refuse before it spends anything on decoding the call's payload.
    public func refusal(deadline: UInt64?, now: UInt64) -> Rejection? {
        if isShuttingDown { return .shuttingDown }
        if let deadline, deadline <= now { return .deadlinePassed }
        if depth >= capacity { return .full(capacity: capacity) }
        if let predicted = overBudget(depth: depth, running: running), let budget = latencyBudget {
            return .overBudget(predictedMilliseconds: Int(predicted / 1_000_000), budgetMilliseconds: Int(budget / 1_000_000))
        }
        return nil
    }

    public mutating func submit(_ job: Job, deadline: UInt64?, now: UInt64) -> SubmitOutcome {
        if let reason = refusal(deadline: deadline, now: now) { return .rejected(reason, job) }
        nextTicket &+= 1
        let ticket = Ticket(raw: nextTicket)
        waiting.append(Entry(ticket: ticket, job: job, deadline: deadline))
        return .queued(ticket)
    }

    /// For a worker: the oldest call still within its deadline, plus the calls that expired
    /// while waiting ahead of it (to be answered DEADLINE_EXCEEDED without running).
    public mutating func take(now: UInt64) -> (expired: [Job], outcome: TakeOutcome) {
        var expired: [Job] = []
        while let entry = waiting.popFirst() {
            if let deadline = entry.deadline, deadline <= now {
                expired.append(entry.job)
                continue
            }
            running += 1
            return (expired, .run(entry.job))
        }
        return (expired, isShuttingDown ? .finished : .wait)
    }

    /// A worker finished a call that `take` handed it, after running it for `runTime` nanoseconds.
    public mutating func finish(runTime: UInt64? = nil) {
        precondition(running > 0, "finish() without a running call")
        running -= 1
        if let runTime {
            // Weight 1/4: follows a change of load within a few calls, smooths single outliers.
            runTimeEstimate = runTimeEstimate.map { ($0 / 4) * 3 + runTime / 4 } ?? runTime
        }
    }

    /// Removes one waiting call (its deadline timer fired, or its connection went away).
    /// nil when it is no longer waiting (a worker took it, or it was never queued).
    public mutating func cancel(_ ticket: Ticket) -> Job? {
        guard let index = waiting.firstIndex(where: { $0.ticket == ticket }) else { return nil }
        let job = waiting[index].job
        waiting.remove(at: index)
        return job
    }

    /// Stops admitting; waiting calls still run.
    public mutating func beginShutdown() {
        isShuttingDown = true
    }
}
