import MatchClient
import NIOCore
import NIOPosix
import Wire
import XCTest
@testable import MatchRPC

/// Garbage, truncation, oversize lengths, slow and vanishing clients: each closes or answers the
/// offending connection, and afterwards a normal call on a new connection still succeeds.
final class HostileInputTests: XCTestCase {
    func testRandomBytesCloseTheConnection() async throws {
        let harness = try await TestServer.start()
        var generator = SplitMix64(seed: 42)
        for round in 0..<20 {
            let connection = try await RawConnection.connect(port: harness.server.port)
            var bytes = (0..<(64 + round * 97)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Half the rounds: a plausible length prefix followed by garbage that is not an envelope.
            if round.isMultiple(of: 2) {
                let body = UInt32(bytes.count - 4)
                bytes.replaceSubrange(0..<4, with: withUnsafeBytes(of: body.bigEndian, Array.init))
            }
            try await connection.send(bytes)
            try await within(5) { await connection.closed() }
        }
        try await harness.assertStillServes()
        await harness.server.shutdown()
    }

    func testEveryPrefixOfAValidFrameThenClose() async throws {
        let harness = try await TestServer.start()
        let frame = try TestFrames.compare(callID: 1, apiKey: TestServer.shopKey)
        for length in 0..<frame.count {
            let connection = try await RawConnection.connect(port: harness.server.port)
            if length > 0 { try await connection.send(Array(frame.prefix(length))) }
            await connection.close()
        }
        try await harness.assertStillServes()
        // The whole frame, sent raw, is answered.
        let connection = try await RawConnection.connect(port: harness.server.port)
        try await connection.send(frame)
        let replies = try await within(5) { try await TestFrames.awaitReplies(1, on: connection) }
        XCTAssertEqual(replies.first?.callID, 1)
        XCTAssertEqual(replies.first?.status, .ok)
        await connection.close()
        await harness.server.shutdown()
    }

    func testOversizeLengthIsRefusedBeforeAnyBody() async throws {
        let harness = try await TestServer.start()
        for prefix: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF], [0x7F, 0x00, 0x00, 0x00]] {
            let connection = try await RawConnection.connect(port: harness.server.port)
            try await connection.send(prefix)
            // Closed on the length alone: no body byte was sent.
            try await within(5) { await connection.closed() }
        }
        try await harness.assertStillServes()
        await harness.server.shutdown()
    }

    func testByteAtATimeSenderIsAnsweredAndHoldsNoWorker() async throws {
        let harness = try await TestServer.start(workers: 1)
        let frame = try TestFrames.compare(callID: 7, apiKey: TestServer.shopKey)
        let slow = try await RawConnection.connect(port: harness.server.port)
        for (index, byte) in frame.enumerated() {
            try await slow.send([byte])
            // Midway, with the only worker's owner still dribbling, others are served at once.
            if index == frame.count / 2 { try await harness.assertStillServes() }
        }
        let replies = try await within(5) { try await TestFrames.awaitReplies(1, on: slow) }
        XCTAssertEqual(replies.first?.callID, 7)
        XCTAssertEqual(replies.first?.status, .ok)
        await slow.close()
        await harness.server.shutdown()
    }

    func testStalledFrameIsTimedOut() async throws {
        // Idle timeout far away: only the frame timeout can close this connection.
        let harness = try await TestServer.start(idleTimeout: .seconds(60), frameTimeout: .milliseconds(300))
        let frame = try TestFrames.compare(callID: 1, apiKey: TestServer.shopKey)
        let stalled = try await RawConnection.connect(port: harness.server.port)
        try await stalled.send(Array(frame.prefix(frame.count / 2)))
        try await within(5) { await stalled.closed() }
        XCTAssertTrue(stalled.received.isEmpty, "a half frame gets no answer")
        try await harness.assertStillServes()
        await harness.server.shutdown()
    }

    func testIdleConnectionIsTimedOut() async throws {
        let harness = try await TestServer.start(idleTimeout: .milliseconds(300), frameTimeout: .seconds(60))
        let idle = try await RawConnection.connect(port: harness.server.port)
        try await within(5) { await idle.closed() }
        try await harness.assertStillServes()
        await harness.server.shutdown()
    }

    func test500ConnectionsOpenedAndDropped() async throws {
        let harness = try await TestServer.start()
        let port = harness.server.port
        for _ in 0..<10 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let connection = try await RawConnection.connect(port: port)
                        await connection.close()
                    }
                }
                try await group.waitForAll()
            }
        }
        try await harness.assertStillServes()
        await harness.server.shutdown()
    }

    /// A reset connection's queued calls are dropped. (A FIN is a half-close: "no more requests,
    /// answer the rest", so those calls would run; see testHalfCloseAnswersEverythingThenCloses.)
    func testResetConnectionFreesItsQueuedCalls() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, queueCapacity: 2, gate: gate)
        let blocker = try await harness.client()
        let running = Task { try await blocker.compare(source: Array("block".utf8), target: Array("face:0".utf8)) }
        XCTAssertTrue(gate.waitForArrivals(1))
        // Two calls fill the queue, then their connection is reset.
        let raw = try ResettableSocket(port: harness.server.port)
        raw.send(try TestFrames.compare(callID: 1, apiKey: TestServer.shopKey)
                 + TestFrames.compare(callID: 2, apiKey: TestServer.shopKey))
        let server = harness.server
        try await within(5) { while server.queueSnapshot.waiting < 2 { await Task.yield() } }
        raw.reset()
        try await within(5) { while server.queueSnapshot.waiting > 0 { await Task.yield() } }
        // Their slots are released: two calls fit in the queue again.
        let client = try await harness.client()
        let queued = (0..<2).map { _ in
            Task { try await client.compare(source: Array("face:1".utf8), target: Array("face:1".utf8)) }
        }
        gate.open()
        _ = try await running.value
        for call in queued { _ = try await call.value }
        await client.close()
        await blocker.close()
        await harness.server.shutdown()
    }
}

/// A small deterministic generator for reproducible garbage.
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
