/// The admission core: a bounded FIFO of calls waiting for a worker, each with an optional deadline.
///
/// I/O-free and clock-free: every operation that needs the time takes `now` (nanoseconds on any
/// monotonic clock), so the rules are tested without threads, sockets or sleeps. `WorkerPool` is
/// the thin adapter that owns one of these behind a lock.
///
/// Rules:
/// - A call is refused at once when `capacity` calls are already waiting (`.full`), when the
///   queue is shutting down (`.shuttingDown`), or when its deadline has already passed.
/// - A worker takes the oldest waiting call; calls whose deadline passed while they waited are
///   handed back as expired and never run.
/// - After `beginShutdown()` waiting calls still run (graceful drain); `take` answers `.finished`
///   once nothing waits.
public struct AdmissionQueue<Job> {
    public struct Ticket: Hashable, Sendable {
        public let raw: UInt64
    }

    public enum Rejection: Equatable, Sendable {
        case full(capacity: Int)
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
    private var waiting: [Entry] = []
    private var head = 0
    private var nextTicket: UInt64 = 0
    /// Calls handed to a worker and not yet reported finished.
    public private(set) var running = 0
    public private(set) var isShuttingDown = false

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Calls waiting for a worker.
    public var depth: Int { waiting.count - head }

    /// True once shutdown began and every admitted call has finished.
    public var isDrained: Bool { isShuttingDown && depth == 0 && running == 0 }

    /// The earliest deadline among waiting calls.
    public var nextDeadline: UInt64? {
        waiting[head...].compactMap(\.deadline).min()
    }

    public mutating func submit(_ job: Job, deadline: UInt64?, now: UInt64) -> SubmitOutcome {
        if isShuttingDown { return .rejected(.shuttingDown, job) }
        if let deadline, deadline <= now { return .rejected(.deadlinePassed, job) }
        if depth >= capacity { return .rejected(.full(capacity: capacity), job) }
        nextTicket &+= 1
        let ticket = Ticket(raw: nextTicket)
        waiting.append(Entry(ticket: ticket, job: job, deadline: deadline))
        return .queued(ticket)
    }

    /// For a worker: the oldest call still within its deadline, plus the calls that expired
    /// while waiting ahead of it (to be answered DEADLINE_EXCEEDED without running).
    public mutating func take(now: UInt64) -> (expired: [Job], outcome: TakeOutcome) {
        var expired: [Job] = []
        while head < waiting.count {
            let entry = waiting[head]
            popHead()
            if let deadline = entry.deadline, deadline <= now {
                expired.append(entry.job)
                continue
            }
            running += 1
            return (expired, .run(entry.job))
        }
        return (expired, isShuttingDown ? .finished : .wait)
    }

    /// A worker finished a call that `take` handed it.
    public mutating func finish() {
        precondition(running > 0, "finish() without a running call")
        running -= 1
    }

    /// Removes every waiting call whose deadline is at or before `now`.
    public mutating func expire(now: UInt64) -> [Job] {
        var expired: [Job] = []
        var kept: [Entry] = []
        for entry in waiting[head...] {
            if let deadline = entry.deadline, deadline <= now {
                expired.append(entry.job)
            } else {
                kept.append(entry)
            }
        }
        waiting = kept
        head = 0
        return expired
    }

    /// Removes one waiting call (its deadline timer fired, or its connection went away).
    /// nil when it is no longer waiting (a worker took it, or it was never queued).
    public mutating func cancel(_ ticket: Ticket) -> Job? {
        guard let index = waiting[head...].firstIndex(where: { $0.ticket == ticket }) else { return nil }
        let job = waiting[index].job
        waiting.remove(at: index)
        return job
    }

    /// Stops admitting; waiting calls still run.
    public mutating func beginShutdown() {
        isShuttingDown = true
    }

    private mutating func popHead() {
        head += 1
        // Compact now and then so the array does not grow without bound.
        if head == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
    }
}
