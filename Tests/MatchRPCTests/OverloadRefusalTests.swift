import MatchClient
import Wire
import XCTest
@testable import MatchRPC

/// Under overload a call is refused before its payload is decoded (no image copy or parse), but
/// only after authentication.
final class OverloadRefusalTests: XCTestCase {
    func testRefusalComesBeforePayloadDecodingAndAfterAuthentication() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, queueCapacity: 1, gate: gate)
        let client = try await harness.client()
        let running = Task { try await client.compare(source: fakeImage("block"), target: fakeImage("face:0")) }
        XCTAssertTrue(gate.waitForArrivals(1))

        let connection = try await RawConnection.connect(port: harness.server.port)
        // Frames on one connection are read in order: call 10 fills the one waiting slot first.
        let valid = VerifyRequestMessage(subjectID: "x", image: fakeImage("face:1")).serialized()
        try await connection.send(FrameEncoder.frame(body: RequestEnvelope(callID: 10, method: .verify, apiKey: TestServer.shopKey,
                                                                           payload: valid).serialized()))
        let garbage: [UInt8] = [0xFF, 0xFF, 0xFF, 0x07, 0x00]  // not a VerifyRequest
        for (id, key) in [(1, TestServer.shopKey), (2, "wrong-key")] {
            let body = RequestEnvelope(callID: UInt64(id), method: .verify, apiKey: key, payload: garbage).serialized()
            try await connection.send(FrameEncoder.frame(body: body))
        }
        let replies = try await within(10) { try await TestFrames.awaitReplies(2, on: connection) }
        let byID = Dictionary(uniqueKeysWithValues: replies.map { ($0.callID, $0) })
        XCTAssertEqual(byID[1]?.status, .resourceExhausted, byID[1]?.message ?? "no reply")
        XCTAssertEqual(byID[2]?.status, .unauthenticated, byID[2]?.message ?? "no reply")

        // With the worker free the same payload is decoded, and refused as undecodable. Call 10
        // must have left the queue first (it runs after the blocked call): its answer says so.
        gate.open()
        _ = try await running.value
        let ten = try await within(10) { try await TestFrames.awaitReplies(3, on: connection) }
        XCTAssertEqual(ten.first { $0.callID == 10 }?.status, .ok)
        let body = RequestEnvelope(callID: 3, method: .verify, apiKey: TestServer.shopKey, payload: garbage).serialized()
        try await connection.send(FrameEncoder.frame(body: body))
        let after = try await within(10) { try await TestFrames.awaitReplies(4, on: connection) }
        XCTAssertEqual(after.first { $0.callID == 10 }?.status, .ok)
        XCTAssertEqual(after.first { $0.callID == 3 }?.status, .invalidArgument)
        await connection.close()
        await client.close()
        await harness.server.shutdown()
    }

    func testRefusalSuggestsWhenToRetryOnceRunTimesAreKnown() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, queueCapacity: 1, gate: gate)
        let client = try await harness.client()
        _ = try await client.verify(subject: "x", image: fakeImage("face:1"))  // one run time measured
        let running = Task { try await client.compare(source: fakeImage("block"), target: fakeImage("face:0")) }
        XCTAssertTrue(gate.waitForArrivals(1))
        let connection = try await RawConnection.connect(port: harness.server.port)
        let valid = VerifyRequestMessage(subjectID: "x", image: fakeImage("face:1")).serialized()
        for id in [10, 11] as [UInt64] {  // 10 takes the waiting slot, 11 is refused
            try await connection.send(FrameEncoder.frame(body: RequestEnvelope(callID: id, method: .verify, apiKey: TestServer.shopKey,
                                                                               payload: valid).serialized()))
        }
        let replies = try await within(10) { try await TestFrames.awaitReplies(1, on: connection) }
        XCTAssertEqual(replies.first?.callID, 11)
        XCTAssertEqual(replies.first?.status, .resourceExhausted)
        XCTAssertGreaterThan(replies.first?.retryAfterMillis ?? 0, 0, "a refusal carries retry_after_ms")
        gate.open()
        _ = try await running.value
        _ = try await within(10) { try await TestFrames.awaitReplies(2, on: connection) }
        await connection.close()
        await client.close()
        await harness.server.shutdown()
    }
}
