import NIOCore
import Wire

/// The client's Wire layer: `OutgoingCall` to request envelopes, response envelopes to `ServerReply`.
enum WireClientCodec {
    static func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations, maxFrameBytes: Int) throws {
        try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: maxFrameBytes)))
        try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
        try pipeline.addHandler(ClientEnvelopeHandler())
    }
}

final class ClientEnvelopeHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ServerReply
    typealias OutboundIn = OutgoingCall
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        do {
            let envelope = try ResponseEnvelope(serialized: Array(frame.readableBytesView))
            context.fireChannelRead(wrapInboundOut(ServerReply(callID: envelope.callID, status: envelope.status,
                                                               message: envelope.message, payload: envelope.payload,
                                                               retryAfterMillis: envelope.retryAfterMillis)))
        } catch {
            context.fireErrorCaught(MatchClientError.malformedResponse("\(error)"))
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let call = unwrapOutboundIn(data)
        // The deadline travels as whole milliseconds, at least 1 (0 would mean "none").
        let millis = call.timeout.map { UInt32(clamping: max(1, $0.nanoseconds / 1_000_000)) } ?? 0
        let body = RequestEnvelope(callID: call.callID, methodName: call.method, apiKey: call.apiKey,
                                   timeoutMillis: millis, payload: call.payload).serialized()
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: body)), promise: promise)
    }
}
