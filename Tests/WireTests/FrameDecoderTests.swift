import NIOCore
import NIOEmbedded
import XCTest
@testable import Wire

final class FrameDecoderTests: XCTestCase {
    private func channel(maxFrameBytes: Int = 64) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: maxFrameBytes)))
        return channel
    }

    private func frame(_ body: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: FrameEncoder.frame(body: body))
    }

    private func readFrames(_ channel: EmbeddedChannel) throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { frames.append(Array(buffer.readableBytesView)) }
        return frames
    }

    func testWholeFramesInOneRead() throws {
        let channel = try channel()
        var bytes = frame([1, 2, 3])
        var second = frame([])
        var third = frame([9])
        bytes.writeBuffer(&second)
        bytes.writeBuffer(&third)
        try channel.writeInbound(bytes)
        XCTAssertEqual(try readFrames(channel), [[1, 2, 3], [], [9]])
        XCTAssertNoThrow(try channel.finish())
    }

    func testByteAtATime() throws {
        let channel = try channel()
        for byte in FrameEncoder.frame(body: [7, 8, 9, 10]) {
            XCTAssertEqual(try readFrames(channel), [])
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        XCTAssertEqual(try readFrames(channel), [[7, 8, 9, 10]])
    }

    func testOversizeLengthRefusedBeforeAnyBodyByte() throws {
        let channel = try channel(maxFrameBytes: 64)
        XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 65]))) { error in
            XCTAssertEqual(error as? FrameError, .frameTooLarge(length: 65, limit: 64))
        }
    }

    func testFourGigabyteLengthRefused() throws {
        let channel = try channel()
        XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF]))) { error in
            XCTAssertEqual(error as? FrameError, .frameTooLarge(length: 0xFFFF_FFFF, limit: 64))
        }
    }

    func testTruncatedFrameAtEOFIsAnError() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 5, 1, 2]))
        XCTAssertEqual(try readFrames(channel), [])
        XCTAssertThrowsError(try channel.finish()) { error in
            XCTAssertEqual(error as? FrameError, .truncatedFrame(bufferedBytes: 6))
        }
    }

    func testEncoderWritesBigEndianPrefix() throws {
        var out = ByteBuffer()
        FrameEncoder.writeFrame(body: ByteBuffer(bytes: Array(repeating: 0xAB, count: 258)), to: &out)
        XCTAssertEqual(Array(out.readableBytesView.prefix(4)), [0, 0, 1, 2])
        XCTAssertEqual(out.readableBytes, 262)
    }
}
