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

    private func frame(_ body: [UInt8]) -> [UInt8] { FrameEncoder.frame(body: body) }

    private func readFrames(_ channel: EmbeddedChannel) throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { frames.append(Array(buffer.readableBytesView)) }
        return frames
    }

    func testManyFramesInOneRead() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(bytes: frame([1, 2, 3]) + frame([]) + frame([9])))
        XCTAssertEqual(try readFrames(channel), [[1, 2, 3], [], [9]])
        XCTAssertTrue(try channel.finish().isClean)
    }

    func testByteAtATime() throws {
        let channel = try channel()
        let bytes = frame([7, 8, 9, 10]) + frame([11])
        for (i, byte) in bytes.enumerated() {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            let frames = try readFrames(channel)
            switch i {
            case 7: XCTAssertEqual(frames, [[7, 8, 9, 10]])
            case bytes.count - 1: XCTAssertEqual(frames, [[11]])
            default: XCTAssertEqual(frames, [], "no frame may surface after byte \(i)")
            }
        }
        XCTAssertTrue(try channel.finish().isClean)
    }

    func testFrameSplitAcrossReadsInsidePrefixAndBody() throws {
        let channel = try channel()
        let bytes = frame(Array(1...20)) + frame([42])
        try channel.writeInbound(ByteBuffer(bytes: bytes[0..<2]))   // half a prefix
        try channel.writeInbound(ByteBuffer(bytes: bytes[2..<13]))  // rest of prefix, part of body
        XCTAssertEqual(try readFrames(channel), [])
        try channel.writeInbound(ByteBuffer(bytes: bytes[13..<26]))  // rest of body, part of next prefix
        XCTAssertEqual(try readFrames(channel), [Array(1...20)])
        try channel.writeInbound(ByteBuffer(bytes: bytes[26...]))
        XCTAssertEqual(try readFrames(channel), [[42]])
    }

    func testOversizeLengthRefusedBeforeAnyBodyByte() throws {
        let channel = try channel(maxFrameBytes: 64)
        try channel.writeInbound(ByteBuffer(bytes: frame(Array(repeating: 1, count: 64))))
        XCTAssertEqual(try readFrames(channel).count, 1, "exactly the limit is allowed")
        XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 65]))) { error in
            XCTAssertEqual(error as? FrameError, .frameTooLarge(length: 65, limit: 64))
        }
    }

    func testFourGigabyteLengthRefusedOnThePrefixAlone() throws {
        let channel = try channel(maxFrameBytes: WireLimits.defaultMaxFrameBytes)
        XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF]))) { error in
            XCTAssertEqual(error as? FrameError, .frameTooLarge(length: 0xFFFF_FFFF, limit: WireLimits.defaultMaxFrameBytes))
        }
    }

    func testDefaultLimitFitsTwoFiveMebibyteImages() {
        XCTAssertGreaterThan(WireLimits.defaultMaxFrameBytes, 2 * 5 * 1024 * 1024 + 4 * 1024)
        var buffer = ByteBuffer(bytes: [0, 0xA0, 0x10, 0x00])  // 10_489_856 bytes announced, none sent
        XCTAssertNil(try FrameDecoder.nextFrame(from: &buffer, maxFrameBytes: WireLimits.defaultMaxFrameBytes))
        XCTAssertEqual(buffer.readableBytes, 4, "waiting for the body consumes nothing")
    }

    func testTruncatedFrameAtEOFIsAnError() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 5, 1, 2]))
        XCTAssertEqual(try readFrames(channel), [])
        XCTAssertThrowsError(try channel.finish()) { error in
            XCTAssertEqual(error as? FrameError, .truncatedFrame(bufferedBytes: 6))
        }
    }

    func testTruncatedPrefixAtEOFIsAnError() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(bytes: frame([5]) + [0, 0]))
        XCTAssertEqual(try readFrames(channel), [[5]])
        XCTAssertThrowsError(try channel.finish()) { error in
            XCTAssertEqual(error as? FrameError, .truncatedFrame(bufferedBytes: 2))
        }
    }

    func testGarbageBytesEndInATypedErrorNotACrash() throws {
        var generator = SplitMix64(seed: 0x5EED)
        var tooLarge = 0
        for _ in 0..<300 {
            let channel = try channel(maxFrameBytes: 256)
            let garbage = (0..<Int(generator.next() % 600)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            do {
                try channel.writeInbound(ByteBuffer(bytes: garbage))
                _ = try readFrames(channel)
                _ = try channel.finish()
            } catch let error as FrameError {
                if case .frameTooLarge = error { tooLarge += 1 }
            }
        }
        XCTAssertGreaterThan(tooLarge, 200, "random prefixes are almost always over a 256-byte limit")
    }

    func testSingleStepProcessorWithoutAChannel() throws {
        let processor = NIOSingleStepByteToMessageProcessor(FrameDecoder(maxFrameBytes: 64))
        var frames: [[UInt8]] = []
        try processor.process(buffer: ByteBuffer(bytes: frame([1]) + frame([2, 3]).prefix(3))) { frames.append(Array($0.readableBytesView)) }
        try processor.process(buffer: ByteBuffer(bytes: frame([2, 3]).dropFirst(3))) { frames.append(Array($0.readableBytesView)) }
        XCTAssertEqual(frames, [[1], [2, 3]])
    }
}

/// A seeded generator, so that a failing garbage input can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
