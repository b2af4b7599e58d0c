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
                                                               retryAfterMillis: envelope.retryAfterMillis,
                                                               signature: envelope.signature,
                                                               signingKeyID: envelope.signingKeyID,
                                                               serverUnixMillis: envelope.serverUnixMillis)))
        } catch {
            context.fireErrorCaught(MatchClientError.malformedResponse("\(error)"))
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let call = unwrapOutboundIn(data)
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: call.envelope)), promise: promise)
    }
}
