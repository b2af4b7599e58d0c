import Logging
import NIOCore
import Wire

/// One connection's calls: pipelined, each answered as soon as it is done (possibly out of order).
/// Cheap calls are answered here; engine and store work goes to the `WorkerPool`, and the answer
/// hops back to this channel's event loop.
///
/// Every call that was read gets exactly one answer before the server closes the connection:
/// - a protocol error (a frame that is too large, garbage, a truncated frame, a slow sender)
///   stops reading; the bad frame is answered when it has a call id, the calls in flight are
///   answered, then the connection closes;
/// - a client's half-close (end of its writes) means "no more requests": everything in flight
///   is answered, then the connection closes;
/// - a graceful shutdown answers new calls UNAVAILABLE and closes once the rest are answered.
///
/// Deadlines: a call's timer answers DEADLINE_EXCEEDED the moment its deadline passes, whether
/// the call still waits for a worker or runs (the worker stops at its next stage); a call that
/// already began its store write is let finish (see `CallDeadline`).
final class RPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = InboundRequest
    typealias OutboundOut = CallReply

    private struct Pending {
        let method: String
        let received: NIODeadline
        /// Tells this call's answer from a later call's that reuses its id.
        let serial: UInt64
        let deadline: CallDeadline
        var ticket: WorkerPool.Ticket?
        var timer: Scheduled<Void>?
    }

    private enum Phase {
        case serving
        /// Server shutdown: new calls are answered UNAVAILABLE; close once none is in flight.
        case draining
        /// Protocol error or half-close: nothing more is read; close once none is in flight.
        case finishing
    }

    private let dispatcher: RPCDispatcher
    private let pool: WorkerPool
    private let metrics: MetricsRegistry
    private let protocolErrors: ProtocolErrorLog
    private let logger: Logger
    private var pending: [UInt64: Pending] = [:]
    private var nextSerial: UInt64 = 0
    private var phase = Phase.serving
    private var active = true
    private var lastWrite: EventLoopFuture<Void>?
    private var closeScheduled = false
    private var peer = "unknown"
    /// The connection's client certificate, looked up at its first call (the handshake is over by then).
    private var client: ClientCertificateIdentity?
    private var clientLookedUp = false

    /// Once a drain leaves a connection with nothing in flight, requests the client sent just
    /// before may still sit unread in the socket: keep reading this long, answering them
    /// UNAVAILABLE, then close. Without it they would be lost with the connection.
    static let drainLinger: TimeAmount = .milliseconds(250)

    init(dispatcher: RPCDispatcher, pool: WorkerPool, metrics: MetricsRegistry, protocolErrors: ProtocolErrorLog,
         logger: Logger) {
        self.dispatcher = dispatcher
        self.pool = pool
        self.metrics = metrics
        self.protocolErrors = protocolErrors
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.channel.remoteAddress?.ipAddress ?? "unknown"
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { peer = context.channel.remoteAddress?.ipAddress ?? "unknown" }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let call: IncomingCall
        switch unwrapInboundIn(data) {
        case .refused(let reply, let problem):
            protocolErrors.report(kind: "bad_envelope_string", detail: "\(problem)", peer: peer, closes: false)
            return write(reply, method: "unknown", received: .now(), context: context)
        case .call(let incoming):
            call = incoming
        }
        if pending[call.callID] != nil {
            // Not tracked: the first call with this id keeps its slot and gets its own answer.
            return write(CallReply(callID: call.callID, status: .invalidArgument,
                                   message: "call id \(call.callID) is already in flight"),
                         method: call.method, received: call.received, context: context)
        }
        if phase == .draining {
            return write(CallReply(callID: call.callID, status: .unavailable, message: "server is shutting down"),
                         method: call.method, received: call.received, context: context)
        }
        if !clientLookedUp {
            client = ClientCertificateIdentity.of(context.pipeline.syncOperations)
            clientLookedUp = true
        }
        let pool = self.pool
        switch dispatcher.plan(call, client: client, admission: { pool.refusal(deadline: call.deadline?.uptimeNanoseconds) }) {
        case .reply(let reply):
            write(reply, method: call.method, received: call.received, context: context)
        case .refused(let reason):
            write(Self.reply(callID: call.callID, rejectedBecause: reason, pool: pool),
                  method: call.method, received: call.received, context: context)
        case .work(let work):
            submit(call, work: work, context: context)
        }
    }

    private func submit(_ call: IncomingCall, work: @escaping @Sendable (ModelAnalyzers, CallDeadline) -> CallReply,
                        context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let boundContext = NIOLoopBound(context, eventLoop: loop)
        let callID = call.callID
        let pool = self.pool
        nextSerial &+= 1
        let serial = nextSerial
        let deadline = CallDeadline(call.deadline)
        pending[callID] = Pending(method: call.method, received: call.received, serial: serial, deadline: deadline)
        let job = WorkerPool.Job(
            run: { analyzers in
                let reply = work(analyzers, deadline)
                return { loop.execute { bound.value.complete(reply, serial: serial, context: boundContext.value) } }
            },
            reject: { reason in
                let reply = Self.reply(callID: callID, rejectedBecause: reason, pool: pool)
                loop.execute { bound.value.complete(reply, serial: serial, context: boundContext.value) }
            })
        guard let ticket = pool.submit(job, deadline: call.deadline?.uptimeNanoseconds) else { return }
        pending[callID]?.ticket = ticket
        if let due = call.deadline, pending[callID] != nil {
            pending[callID]?.timer = loop.scheduleTask(deadline: due) {
                bound.value.deadlinePassed(callID: callID, serial: serial, context: boundContext.value)
            }
        }
    }

    /// The call's timer fired: answer DEADLINE_EXCEEDED now unless it is already writing to the store.
    private func deadlinePassed(callID: UInt64, serial: UInt64, context: ChannelHandlerContext) {
        guard let entry = pending[callID], entry.serial == serial, entry.deadline.expire() else { return }
        pending.removeValue(forKey: callID)
        let waiting = entry.ticket.map { pool.withdraw($0) } ?? false
        let millis = (NIODeadline.now() - entry.received).nanoseconds / 1_000_000
        write(CallReply(callID: callID, status: .deadlineExceeded,
                        message: "deadline passed after \(millis) ms, \(waiting ? "before a worker was free" : "while running")"),
              method: entry.method, received: entry.received, context: context)
        closeIfDone(context: context)
    }

    private func complete(_ reply: CallReply, serial: UInt64, context: ChannelHandlerContext) {
        // Already answered (its deadline passed): this late answer is dropped.
        guard let entry = pending[reply.callID], entry.serial == serial else { return }
        pending.removeValue(forKey: reply.callID)
        entry.timer?.cancel()
        write(reply, method: entry.method, received: entry.received, context: context)
        closeIfDone(context: context)
    }

    private func closeIfDone(context: ChannelHandlerContext) {
        guard pending.isEmpty else { return }
        switch phase {
        case .serving: break
        case .draining: closeAfterWrites(linger: Self.drainLinger, context: context)
        case .finishing: closeAfterWrites(linger: .zero, context: context)
        }
    }

    /// After `linger`, closes once everything written by then has reached the socket.
    private func closeAfterWrites(linger: TimeAmount, context: ChannelHandlerContext) {
        guard !closeScheduled else { return }
        closeScheduled = true
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: linger) {
            let (handler, context) = bound.value
            guard let lastWrite = handler.lastWrite else { return context.close(promise: nil) }
            lastWrite.whenComplete { _ in bound.value.context.close(promise: nil) }
        }
    }

    /// Stops reading for good and closes once every call read so far is answered.
    private func finish(context: ChannelHandlerContext) {
        guard phase != .finishing else { return }
        phase = .finishing
        context.channel.setOption(.autoRead, value: false).whenFailure { _ in }
        closeIfDone(context: context)
    }

    private func write(_ reply: CallReply, method: String, received: NIODeadline, context: ChannelHandlerContext) {
        let seconds = Double((NIODeadline.now() - received).nanoseconds) / 1e9
        metrics.record(method: RPCDispatcher.metricLabel(method), code: reply.status.name, seconds: seconds)
        guard active else { return }
        lastWrite = context.writeAndFlush(wrapOutboundOut(reply))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ServerEvent.drain:
            if phase == .serving { phase = .draining }
            closeIfDone(context: context)
        case ChannelEvent.inputClosed:
            finish(context: context)
        case let idle as IdleStateHandler.IdleStateEvent where idle == .all:
            if pending.isEmpty {
                logger.debug("closing idle connection")
                context.close(promise: nil)
            }
        case ConnectionTimeout.slowFrame:
            protocolErrors.report(kind: "slow_frame", detail: "request frame not received in time", peer: peer, closes: true)
            finish(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// A client that sends calls but does not read the answers stops being read from, so its
    /// unread answers cannot pile up in memory.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if phase != .finishing {
            context.channel.setOption(.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        // Nobody is left to answer: calls still waiting are dropped, running ones stop at their
        // next stage (unless already writing to the store), as gRPC cancels a call whose client left.
        for (callID, entry) in pending {
            entry.timer?.cancel()
            let withdrawn = entry.ticket.map { pool.withdraw($0) } ?? false
            if withdrawn || entry.deadline.expire() {
                pending.removeValue(forKey: callID)
                metrics.record(method: RPCDispatcher.metricLabel(entry.method), code: RPCStatusCode.cancelled.name,
                               seconds: Double((NIODeadline.now() - entry.received).nanoseconds) / 1e9)
            }
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let failure = error as? RequestEnvelopeView.Failure {
            protocolErrors.report(kind: "malformed_envelope", detail: "\(failure)", peer: peer, closes: true)
            if let callID = failure.callID, pending[callID] == nil {
                write(CallReply(callID: callID, status: .invalidArgument, message: "\(failure)"), method: "unknown",
                      received: .now(), context: context)
            }
        } else if let frameError = error as? FrameError {
            protocolErrors.report(kind: frameError.metricKind, detail: "\(frameError)", peer: peer, closes: true)
        } else {
            // An I/O error (a reset connection): nothing to answer on, the channel goes inactive.
            logger.debug("connection error", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
        finish(context: context)
    }

    /// The answer to a refused call; RESOURCE_EXHAUSTED carries the pool's retry-after estimate.
    static func reply(callID: UInt64, rejectedBecause reason: AdmissionQueue<WorkerPool.Job>.Rejection,
                      pool: WorkerPool) -> CallReply {
        switch reason {
        case .full(let capacity):
            CallReply(callID: callID, status: .resourceExhausted, message: "server busy: \(capacity) calls already waiting",
                      retryAfterMillis: pool.retryAfterMilliseconds)
        case .overBudget(let predicted, let budget):
            CallReply(callID: callID, status: .resourceExhausted,
                      message: "server busy: predicted answer in \(predicted) ms, over the \(budget) ms latency budget",
                      retryAfterMillis: pool.retryAfterMilliseconds)
        case .deadlinePassed:
            CallReply(callID: callID, status: .deadlineExceeded, message: "deadline passed before a worker was free")
        case .shuttingDown:
            CallReply(callID: callID, status: .unavailable, message: "server is shutting down")
        }
    }
}

/// Events the server sends down every connection's pipeline.
enum ServerEvent: Sendable {
    /// Graceful shutdown: refuse new calls, close once the in-flight ones are answered.
    case drain
}

extension FrameError {
    /// The `kind` label of `facematch_protocol_errors_total`.
    var metricKind: String {
        switch self {
        case .frameTooLarge: "frame_too_large"
        case .truncatedFrame: "truncated_frame"
        }
    }
}
