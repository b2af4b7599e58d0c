import MatchClient
import NIOCore
import NIOPosix
import Wire
import XCTest

final class MatchClientTests: XCTestCase {
    func testParsesHostPortAndBracketedIPv6() throws {
        XCTAssertEqual(try MatchClient.parseAddress("127.0.0.1:7470").host, "127.0.0.1")
        XCTAssertEqual(try MatchClient.parseAddress("example.org:80").port, 80)
        XCTAssertEqual(try MatchClient.parseAddress("[::1]:7470").host, "::1")
        for bad in ["", "host", "host:", ":7470", "host:0", "host:70000", "host:x"] {
            XCTAssertThrowsError(try MatchClient.parseAddress(bad), bad) { error in
                XCTAssertEqual(error as? MatchClientError, .invalidAddress(bad))
            }
        }
    }

    func testConnectionClosedByTheServerFailsCallsInFlight() async throws {
        // A listener that accepts, reads one request, and hangs up without answering.
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(HangUpOnRead()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try XCTUnwrap(listener.localAddress?.port)
        let client = try await MatchClient.connect(host: "127.0.0.1", port: port, apiKey: "k")
        do {
            _ = try await client.health()
            XCTFail("the call cannot succeed")
        } catch let error as MatchClientError {
            XCTAssertEqual(error, .connectionClosed)
            XCTAssertEqual(error.code, .unavailable)
        }
        do {
            _ = try await client.health()
            XCTFail("calls on a closed connection fail")
        } catch let error as MatchClientError {
            XCTAssertEqual(error.code, .unavailable)
        }
        try await listener.close()
    }

    func testLocalDeadlineBacksUpASilentServer() async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try XCTUnwrap(listener.localAddress?.port)
        let client = try await MatchClient.connect(host: "127.0.0.1", port: port, apiKey: "k")
        do {
            _ = try await client.health(timeout: .milliseconds(50))
            XCTFail("a silent server cannot answer")
        } catch let error as MatchClientError {
            XCTAssertEqual(error.code, .deadlineExceeded)
        }
        await client.close()
        try await listener.close()
    }
}

private final class HangUpOnRead: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.close(promise: nil)
    }
}
