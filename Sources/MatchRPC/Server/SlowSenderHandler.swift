import NIOCore

/// Sits before the frame decoder. Fires `ConnectionTimeout.slowFrame` when a request frame has
/// not arrived whole within `frameTimeout` of its first byte; `RPCConnectionHandler` then stops
/// reading, answers the calls in flight and closes. A client dribbling bytes occupies only a
/// small buffer (never a worker, which sees only complete frames), and not for long.
final class SlowSenderHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let frameTimeout: TimeAmount
    private var progress = FrameProgress()
    private var timer: Scheduled<Void>?

    init(frameTimeout: TimeAmount) {
        self.frameTimeout = frameTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let wasInside = progress.isInsideFrame
        let completed = buffer.withUnsafeReadableBytes { progress.consume($0) }
        if progress.isInsideFrame {
            // A new frame started in this read (or the previous one completed and another began).
            if !wasInside || completed > 0 { arm(context: context) }
        } else {
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    private func arm(context: ChannelHandlerContext) {
        timer?.cancel()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: frameTimeout) {
            bound.value.fireUserInboundEventTriggered(ConnectionTimeout.slowFrame)
        }
    }
}

/// Fired down the pipeline when a request frame is too slow to arrive.
enum ConnectionTimeout: Sendable {
    case slowFrame
}
