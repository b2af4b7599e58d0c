import NIOCore
import Wire

/// The server's Wire layer: length-prefixed frames (size checked on the prefix), request
/// envelopes to `IncomingCall`, `CallReply` to response envelopes.
enum WireCallCodec {
    static func addServerHandlers(to pipeline: ChannelPipeline.SynchronousOperations,
                                  maxFrameBytes: Int = WireLimits.defaultMaxFrameBytes) throws {
        try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: maxFrameBytes)))
        try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
        try pipeline.addHandler(ServerEnvelopeHandler())
    }
}

/// An envelope that does not decode leaves no call id to answer, so the connection is closed
/// (the error goes down the pipeline to `RPCConnectionHandler.errorCaught`).
final class ServerEnvelopeHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = IncomingCall
    typealias OutboundIn = CallReply
    typealias OutboundOut = ByteBuffer

    /// Longest deadline honoured (a day); longer ones are clamped.
    static let maxTimeoutMillis: UInt32 = 86_400_000

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let received = NIODeadline.now()
        let envelope: RequestEnvelope
        do {
            envelope = try RequestEnvelope(serialized: Array(frame.readableBytesView))
        } catch {
            context.fireErrorCaught(error)
            return
        }
        // 0 means "the server's default", which is no deadline: the bounded queue still applies.
        let deadline = envelope.timeoutMillis > 0
            ? received + .milliseconds(Int64(min(envelope.timeoutMillis, Self.maxTimeoutMillis))) : nil
        context.fireChannelRead(wrapInboundOut(IncomingCall(
            callID: envelope.callID, method: envelope.methodName, apiKey: envelope.apiKey, deadline: deadline,
            payload: envelope.payload, received: received)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let reply = unwrapOutboundIn(data)
        let body = ResponseEnvelope(callID: reply.callID, status: reply.status, message: reply.message,
                                    payload: reply.payload, retryAfterMillis: reply.retryAfterMillis).serialized()
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: body)), promise: promise)
    }
}
