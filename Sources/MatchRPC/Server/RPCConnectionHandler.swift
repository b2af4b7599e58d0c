import Logging
import NIOCore
import Wire

/// One connection's calls: pipelined, each answered as soon as it is done (possibly out of order).
/// Cheap calls are answered here; engine and store work goes to the `WorkerPool`, and the answer
/// hops back to this channel's event loop. Deadlines are enforced while a call waits for a worker.
final class RPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = IncomingCall
    typealias OutboundOut = CallReply

    private struct Pending {
        let method: String
        let received: NIODeadline
        var ticket: WorkerPool.Ticket?
        var timer: Scheduled<Void>?
    }

    private let dispatcher: RPCDispatcher
    private let pool: WorkerPool
    private let metrics: MetricsRegistry
    private let logger: Logger
    private var pending: [UInt64: Pending] = [:]
    private var draining = false
    private var active = true
    private var lastWrite: EventLoopFuture<Void>?
    private var closeScheduled = false

    /// Once a drain leaves a connection with nothing in flight, requests the client sent just
    /// before may still sit unread in the socket: keep reading this long, answering them
    /// UNAVAILABLE, then close. Without it they would be lost with the connection.
    static let drainLinger: TimeAmount = .milliseconds(250)

    init(dispatcher: RPCDispatcher, pool: WorkerPool, metrics: MetricsRegistry, logger: Logger) {
        self.dispatcher = dispatcher
        self.pool = pool
        self.metrics = metrics
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let call = unwrapInboundIn(data)
        if pending[call.callID] != nil {
            // Not tracked: the first call with this id keeps its slot and gets its own answer.
            write(CallReply(callID: call.callID, status: .invalidArgument, message: "call id \(call.callID) is already in flight"),
                  method: call.method, received: call.received, context: context)
            return
        }
        if draining {
            write(CallReply(callID: call.callID, status: .unavailable, message: "server is shutting down"),
                  method: call.method, received: call.received, context: context)
            return
        }
        let pool = self.pool
        switch dispatcher.plan(call, admission: { pool.refusal(deadline: call.deadline?.uptimeNanoseconds) }) {
        case .reply(let reply):
            write(reply, method: call.method, received: call.received, context: context)
        case .refused(let reason):
            write(Self.reply(callID: call.callID, rejectedBecause: reason, pool: pool),
                  method: call.method, received: call.received, context: context)
        case .work(let work):
            submit(call, work: work, context: context)
        }
    }

    private func submit(_ call: IncomingCall, work: @escaping @Sendable (any FaceAnalyzing) -> CallReply,
                        context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let boundContext = NIOLoopBound(context, eventLoop: loop)
        let callID = call.callID
        let pool = self.pool
        pending[callID] = Pending(method: call.method, received: call.received)
        let job = WorkerPool.Job(
            run: { analyzer in
                let reply = work(analyzer)
                loop.execute { bound.value.complete(reply, context: boundContext.value) }
            },
            reject: { reason in
                let reply = Self.reply(callID: callID, rejectedBecause: reason, pool: pool)
                loop.execute { bound.value.complete(reply, context: boundContext.value) }
            })
        guard let ticket = pool.submit(job, deadline: call.deadline?.uptimeNanoseconds) else { return }
        pending[callID]?.ticket = ticket
        if let deadline = call.deadline {
            pending[callID]?.timer = loop.scheduleTask(deadline: deadline) { pool.expire(ticket) }
        }
    }

    private func complete(_ reply: CallReply, context: ChannelHandlerContext) {
        guard let entry = pending.removeValue(forKey: reply.callID) else { return }
        entry.timer?.cancel()
        write(reply, method: entry.method, received: entry.received, context: context)
        if draining && pending.isEmpty { closeAfterWrites(context: context) }
    }

    /// After `drainLinger`, closes once everything written by then has reached the socket.
    private func closeAfterWrites(context: ChannelHandlerContext) {
        guard !closeScheduled else { return }
        closeScheduled = true
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: Self.drainLinger) {
            let (handler, context) = bound.value
            guard let lastWrite = handler.lastWrite else { return context.close(promise: nil) }
            lastWrite.whenComplete { _ in context.close(promise: nil) }
        }
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
            draining = true
            if pending.isEmpty { closeAfterWrites(context: context) }
        case let idle as IdleStateHandler.IdleStateEvent where idle == .all:
            if pending.isEmpty {
                logger.debug("closing idle connection")
                context.close(promise: nil)
            }
        case ConnectionTimeout.slowFrame:
            logger.info("closing connection: request frame not received in time")
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// A client that sends calls but does not read the answers stops being read from, so its
    /// unread answers cannot pile up in memory.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        context.channel.setOption(.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        // Calls still waiting for a worker are dropped: nobody is left to answer.
        for (callID, entry) in pending {
            entry.timer?.cancel()
            if let ticket = entry.ticket, pool.withdraw(ticket) {
                pending.removeValue(forKey: callID)
                metrics.record(method: RPCDispatcher.metricLabel(entry.method), code: RPCStatusCode.cancelled.name,
                               seconds: Double((NIODeadline.now() - entry.received).nanoseconds) / 1e9)
            }
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // Framing errors (oversize length, garbage): the stream cannot be resynchronised.
        logger.info("closing connection after a protocol error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
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
