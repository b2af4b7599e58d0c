import Foundation
import NIOCore
import Wire

/// The client's Wire layer: `OutgoingCall` to request envelopes, response envelopes to `ServerReply`.
enum WireClientCodec {
    static func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations, maxFrameBytes: Int) throws {
        try pipeline.addHandler(ByteToMessageHandler(StubFrameDecoder(maxFrameBytes: maxFrameBytes)))
        try pipeline.addHandler(MessageToByteHandler(StubFrameEncoder()))
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
        guard let envelope = try? JSONDecoder().decode(StubResponseEnvelope.self, from: Data(frame.readableBytesView)) else {
            context.fireErrorCaught(MatchClientError.malformedResponse("undecodable response envelope"))
            return
        }
        context.fireChannelRead(wrapInboundOut(ServerReply(callID: envelope.callID, status: envelope.status,
                                                           message: envelope.message, payload: Array(envelope.payload))))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let call = unwrapOutboundIn(data)
        let millis = call.timeout.map { UInt64(max(1, $0.nanoseconds / 1_000_000)) } ?? 0
        let envelope = StubRequestEnvelope(callID: call.callID, method: call.method, apiKey: call.apiKey,
                                           timeoutMillis: millis, payload: Data(call.payload))
        let bytes = (try? JSONEncoder().encode(envelope)) ?? Data()
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: promise)
    }
}
