import NIOCore
import NIOEmbedded
import XCTest
@testable import Wire

final class FrameEncoderTests: XCTestCase {
    func testBigEndianPrefixThenBody() throws {
        var out = ByteBuffer()
        FrameEncoder.writeFrame(body: ByteBuffer(bytes: Array(repeating: 0xAB, count: 258)), to: &out)
        XCTAssertEqual(Array(out.readableBytesView.prefix(4)), [0, 0, 1, 2])
        XCTAssertEqual(out.readableBytes, 262)
        XCTAssertEqual(FrameEncoder.frame(body: [9, 8]), [0, 0, 0, 2, 9, 8])
        XCTAssertEqual(FrameEncoder.frame(body: []), [0, 0, 0, 0])
    }

    func testEncoderAndDecoderAgreeThroughAPipeline() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FrameEncoder()))
        try channel.writeOutbound(ByteBuffer(bytes: [1, 2, 3]))
        let wire = try XCTUnwrap(try channel.readOutbound(as: ByteBuffer.self))
        var bytes = wire
        XCTAssertEqual(try FrameDecoder.nextFrame(from: &bytes, maxFrameBytes: 64).map { Array($0.readableBytesView) }, [1, 2, 3])
        XCTAssertEqual(bytes.readableBytes, 0)
    }

    func testOversizeBodyFailsTheWriteLocally() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FrameEncoder(maxFrameBytes: 8)))
        XCTAssertThrowsError(try channel.writeOutbound(ByteBuffer(bytes: Array(repeating: 0, count: 9)))) { error in
            XCTAssertEqual(error as? FrameError, .frameTooLarge(length: 9, limit: 8))
        }
        XCTAssertNil(try channel.readOutbound(as: ByteBuffer.self), "nothing reaches the wire")
    }
}
