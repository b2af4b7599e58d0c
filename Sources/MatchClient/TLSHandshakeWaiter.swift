import NIOCore
import NIOSSL
import NIOTLS

/// Completes `promise` when the TLS handshake succeeds, or fails it with the handshake's error
/// (or the connection's close), so that `MatchClient.connect` reports a refused certificate
/// itself instead of the first call failing. Removes itself once done.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<Void>
    private var done = false

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event, !done {
            done = true
            promise.succeed()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(MatchClientError.tlsFailure("\(error)"))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(MatchClientError.tlsFailure("the server closed the connection during the TLS handshake"))
        context.fireChannelInactive()
    }

    private func finish(_ error: MatchClientError) {
        guard !done else { return }
        done = true
        promise.fail(error)
    }
}
