import NIOCore
import Wire

/// The server's Wire layer: length-prefixed frames (size checked on the prefix), request
/// envelopes to `InboundRequest`, `CallReply` to response envelopes.
enum WireCallCodec {
    static func addServerHandlers(to pipeline: ChannelPipeline.SynchronousOperations,
                                  maxFrameBytes: Int = WireLimits.defaultMaxFrameBytes,
                                  timeouts: DeadlinePolicy) throws {
        try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: maxFrameBytes)))
        try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
        try pipeline.addHandler(ServerEnvelopeHandler(timeouts: timeouts))
    }
}

/// What the envelope handler makes of one frame.
enum InboundRequest: Sendable {
    case call(IncomingCall)
    /// A well-formed envelope that cannot be a call (its method or key is not clean UTF-8):
    /// answered INVALID_ARGUMENT, and the connection goes on.
    case refused(CallReply, problem: RequestEnvelopeView.Failure)
}

/// How the server turns `timeout_ms` into a deadline: 0 means the server's default, and no
/// call may ask for more than the maximum. Every call therefore has a deadline.
struct DeadlinePolicy: Sendable {
    var defaultTimeout: TimeAmount
    var maximumTimeout: TimeAmount

    func deadline(timeoutMillis: UInt32, received: NIODeadline) -> NIODeadline {
        let asked = timeoutMillis == 0 ? defaultTimeout : .milliseconds(Int64(timeoutMillis))
        return received + min(asked, maximumTimeout)
    }
}

/// Reads each frame's envelope without decoding its payload (`RequestEnvelopeView`), so the event
/// loop's work does not grow with the frame. An envelope that is not protobuf at all is a
/// protocol error: it goes down the pipeline to `RPCConnectionHandler.errorCaught`, which
/// answers the bad frame when it has a call id and the calls in flight, then closes.
final class ServerEnvelopeHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = InboundRequest
    typealias OutboundIn = CallReply
    typealias OutboundOut = ByteBuffer

    private let timeouts: DeadlinePolicy

    init(timeouts: DeadlinePolicy) {
        self.timeouts = timeouts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let received = NIODeadline.now()
        let envelope: RequestEnvelopeView
        do {
            envelope = try RequestEnvelopeView(frame: frame)
        } catch {
            switch error {
            case .malformed:
                context.fireErrorCaught(error)
            case .invalidString(let callID, _), .oversizeString(let callID, _, _):
                let reply = CallReply(callID: callID, status: .invalidArgument, message: "\(error)")
                context.fireChannelRead(wrapInboundOut(.refused(reply, problem: error)))
            }
            return
        }
        let deadline = timeouts.deadline(timeoutMillis: envelope.timeoutMillis, received: received)
        context.fireChannelRead(wrapInboundOut(.call(IncomingCall(
            callID: envelope.callID, method: envelope.methodName, apiKey: envelope.apiKey, deadline: deadline,
            payload: envelope.payload, received: received))))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let reply = unwrapOutboundIn(data)
        var envelope = ResponseEnvelope(callID: reply.callID, status: reply.status, message: reply.message,
                                        payload: reply.payload, retryAfterMillis: reply.retryAfterMillis)
        envelope.signature = reply.signature
        envelope.signingKeyID = reply.signingKeyID
        envelope.serverUnixMillis = reply.serverUnixMillis
        let body = envelope.serialized()
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: body)), promise: promise)
    }
}
