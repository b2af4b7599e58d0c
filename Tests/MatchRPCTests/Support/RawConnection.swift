import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A plain TCP connection for hostile-input tests: writes arbitrary bytes, collects whatever comes
/// back, and reports when the server closes.
final class RawConnection: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received = NIOLockedValueBox<[UInt8]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received.withLockedValue { $0 += buffer.readableBytesView }
        }
    }

    let channel: Channel
    private let collector: Collector

    private init(channel: Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(port: Int, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> RawConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, collector: collector)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    var received: [UInt8] { collector.received.withLockedValue { $0 } }

    /// Completes when either side closed the connection.
    func closed() async {
        try? await channel.closeFuture.get()
    }

    func close() async {
        try? await channel.close()
    }
}
