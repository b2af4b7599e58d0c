import Logging
import NIOCore
import NIOEmbedded
import XCTest
@testable import MatchRPC

/// A drained connection with nothing in flight keeps reading for a moment, answering late
/// requests UNAVAILABLE, instead of dropping them with the connection.
final class DrainLingerTests: XCTestCase {
    func testLateRequestAfterDrainIsAnsweredUnavailableThenTheConnectionCloses() throws {
        let registry = ApplicationRegistry([Application(id: "shop", keyDigest: APIKeyDigest(key: "k"))])
        let logger = Logger(label: "drain-test")
        let dispatcher = RPCDispatcher(registry: registry, service: MatchService(store: InMemoryStore()),
                                       isServing: { false }, logger: logger)
        let pool = WorkerPool(engines: .uniform(FakeAnalyzerFactory()), workers: 1, capacity: 1)
        let metrics = MetricsRegistry(gauges: { [] })
        let handler = RPCConnectionHandler(dispatcher: dispatcher, pool: pool, metrics: metrics,
                                           protocolErrors: ProtocolErrorLog(logger: logger, metrics: metrics), logger: logger)
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: handler, loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()

        channel.pipeline.fireUserInboundEventTriggered(ServerEvent.drain)
        XCTAssertTrue(channel.isActive, "nothing in flight, but the connection lingers")
        try channel.writeInbound(InboundRequest.call(IncomingCall(callID: 9, method: "Verify", apiKey: "k", deadline: nil,
                                                                  payload: [UInt8]())))
        let reply = try XCTUnwrap(channel.readOutbound(as: CallReply.self))
        XCTAssertEqual(reply.callID, 9)
        XCTAssertEqual(reply.status, .unavailable)

        loop.advanceTime(by: RPCConnectionHandler.drainLinger - .milliseconds(1))
        XCTAssertTrue(channel.isActive)
        loop.advanceTime(by: .milliseconds(1))
        XCTAssertFalse(channel.isActive, "closed once the linger is over")
    }
}
