import Foundation
import NIOCore
import Wire

/// The server's Wire layer: frames in and out, envelopes to `IncomingCall` / from `CallReply`.
enum WireCallCodec {
    static func addServerHandlers(to pipeline: ChannelPipeline.SynchronousOperations,
                                  maxFrameBytes: Int = WireLimits.defaultMaxFrameBytes) throws {
        try pipeline.addHandler(ByteToMessageHandler(StubFrameDecoder(maxFrameBytes: maxFrameBytes)))
        try pipeline.addHandler(MessageToByteHandler(StubFrameEncoder()))
        try pipeline.addHandler(ServerEnvelopeHandler())
    }
}

/// Request envelopes in, response envelopes out. An envelope that does not decode leaves no call
/// id to answer, so the connection is closed.
final class ServerEnvelopeHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = IncomingCall
    typealias OutboundIn = CallReply
    typealias OutboundOut = ByteBuffer

    struct UndecodableEnvelope: Error {}

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let received = NIODeadline.now()
        guard let envelope = try? JSONDecoder().decode(StubRequestEnvelope.self, from: Data(frame.readableBytesView)) else {
            context.fireErrorCaught(UndecodableEnvelope())
            return
        }
        let deadline = envelope.timeoutMillis > 0
            ? received + .milliseconds(Int64(min(envelope.timeoutMillis, 86_400_000))) : nil
        context.fireChannelRead(wrapInboundOut(IncomingCall(
            callID: envelope.callID, method: envelope.method, apiKey: envelope.apiKey, deadline: deadline,
            payload: Array(envelope.payload), received: received)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let reply = unwrapOutboundIn(data)
        let envelope = StubResponseEnvelope(callID: reply.callID, status: reply.status, message: reply.message,
                                            payload: Data(reply.payload))
        let bytes = (try? JSONEncoder().encode(envelope)) ?? Data()
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: promise)
    }
}
