import Logging
import MatchClient
import NIOConcurrencyHelpers
import NIOCore
import Wire
import XCTest
@testable import MatchRPC

/// The contract as docs/service.md and docs/wire-format.md state it, over a real socket: every
/// call read gets exactly one answer, deadlines hold while a call runs, a lone sequential client
/// is never refused, and bad envelope strings are answered without losing the connection.
final class ContractTests: XCTestCase {
    // MARK: 1. A call that finds a worker free is always admitted

    func testSequentialClientIsNeverRefused() async throws {
        // Each call takes 3 ms and the budget is 1 ms: any call that saw the worker still busy
        // with the previous one would be refused as over budget.
        let harness = try await TestServer.start(workers: 1, latencyBudget: .milliseconds(1))
        let connection = try await RawConnection.connect(port: harness.server.port)
        var statuses: [RPCStatusCode] = []
        for callID in 1...200 {
            try await connection.send(TestFrames.compare(callID: UInt64(callID), source: "slow:3"))
            let replies = try await within(10) { try await TestFrames.awaitReplies(callID, on: connection) }
            statuses.append(replies[callID - 1].status)
        }
        XCTAssertEqual(statuses.filter { $0 != .ok }.count, 0, "refused: \(statuses.filter { $0 != .ok })")
        await connection.close()
        await harness.server.shutdown()
    }

    // MARK: 2. No answer is lost when a connection ends

    func testProtocolErrorAnswersTheCallsInFlightThenCloses() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, gate: gate)
        let connection = try await RawConnection.connect(port: harness.server.port)
        try await connection.send(TestFrames.enroll(callID: 1, subject: "ann", image: "block"))
        XCTAssertTrue(gate.waitForArrivals(1))
        try await connection.send(TestFrames.health(callID: 2))
        // A frame whose body is not an envelope: call_id 3, then a field that runs off the end.
        try await connection.send(FrameEncoder.frame(body: [0x08, 0x03, 0x2A, 0x7F, 0x01]))
        let early = try await within(10) { try await TestFrames.awaitReplies(2, on: connection) }
        XCTAssertEqual(Set(early.map(\.callID)), [2, 3])
        XCTAssertEqual(early.first { $0.callID == 3 }?.status, .invalidArgument, "the bad frame is answered by its call id")
        XCTAssertTrue(connection.channel.isActive, "still open: the Enroll is in flight")
        gate.open()
        let all = try await within(10) { try await TestFrames.awaitReplies(3, on: connection) }
        XCTAssertEqual(all.first { $0.callID == 1 }?.status, .ok, "the Enroll is answered before the close")
        try await within(10) { await connection.closed() }
        XCTAssertEqual(try harness.store.enrollmentCount(namespace: "shop", subject: "ann"), 1)
        await harness.server.shutdown()
    }

    func testHalfCloseAnswersEverythingThenCloses() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, gate: gate)
        let connection = try await RawConnection.connect(port: harness.server.port)
        try await connection.send(TestFrames.compare(callID: 1, source: "block") + TestFrames.compare(callID: 2, source: "face:0")
                                  + TestFrames.health(callID: 3))
        XCTAssertTrue(gate.waitForArrivals(1))
        try await connection.halfClose()
        let health = try await within(10) { try await TestFrames.awaitReplies(1, on: connection) }
        XCTAssertEqual(health.map(\.callID), [3])
        gate.open()
        let all = try await within(10) { try await TestFrames.awaitReplies(3, on: connection) }
        XCTAssertEqual(all.map(\.callID).sorted(), [1, 2, 3])
        XCTAssertEqual(all.map(\.status), [.ok, .ok, .ok])
        try await within(10) { await connection.closed() }
        await harness.server.shutdown()
    }

    // MARK: 3. Bad envelope strings are answered, and the connection goes on

    func testNulOrInvalidUTF8InMethodOrKeyIsAnsweredInvalidArgument() async throws {
        let harness = try await TestServer.start()
        let connection = try await RawConnection.connect(port: harness.server.port)
        // call_id, then method "Hea\0lth"; call_id, then api_key of invalid UTF-8; then a good call.
        let badMethod: [UInt8] = [0x08, 0x01, 0x12, 0x07] + Array("Hea".utf8) + [0x00] + Array("lth".utf8)
        let badKey: [UInt8] = [0x08, 0x02, 0x12, 0x06] + Array("Health".utf8) + [0x1A, 0x02, 0xC3, 0x28]
        try await connection.send(FrameEncoder.frame(body: badMethod) + FrameEncoder.frame(body: badKey)
                                  + TestFrames.health(callID: 3))
        let replies = try await within(10) { try await TestFrames.awaitReplies(3, on: connection) }
        XCTAssertEqual(replies.map(\.callID), [1, 2, 3])
        XCTAssertEqual(replies.map(\.status), [.invalidArgument, .invalidArgument, .ok])
        XCTAssertTrue(replies[0].message.contains("method"), replies[0].message)
        XCTAssertTrue(replies[1].message.contains("api_key"), replies[1].message)
        XCTAssertTrue(connection.channel.isActive)
        await connection.close()
        await harness.server.shutdown()
    }

    // MARK: 4. Health decodes its payload like every method

    func testHealthWithAnUndecodablePayloadIsInvalidArgument() async throws {
        let harness = try await TestServer.start()
        let connection = try await RawConnection.connect(port: harness.server.port)
        try await connection.send(TestFrames.request(callID: 4, method: "Health", payload: [0xFF, 0xFF, 0xFF]))
        let replies = try await within(10) { try await TestFrames.awaitReplies(1, on: connection) }
        XCTAssertEqual(replies.first?.status, .invalidArgument)
        await connection.close()
        await harness.server.shutdown()
    }

    // MARK: 6. Deadlines hold while a call runs

    func testDeadlinePassingWhileRunningIsAnsweredAtOnceAndStopsTheWork() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, gate: gate)
        let connection = try await RawConnection.connect(port: harness.server.port)
        try await connection.send(TestFrames.enroll(callID: 1, subject: "late", image: "stall", timeoutMillis: 50))
        XCTAssertTrue(gate.waitForArrivals(1))
        // The worker is held inside the analysis; the answer must not wait for it.
        let replies = try await within(10) { try await TestFrames.awaitReplies(1, on: connection) }
        XCTAssertEqual(replies.first?.status, .deadlineExceeded)
        XCTAssertTrue(replies.first?.message.contains("while running") ?? false, replies.first?.message ?? "")
        gate.open()
        // The stalled analysis sees its deadline and stops: nothing is stored, the worker is free.
        try await harness.assertStillServes()
        XCTAssertEqual(try harness.store.enrollmentCount(namespace: "shop", subject: "late"), 0)
        XCTAssertEqual(TestFrames.replies(in: connection.received).count, 1, "exactly one answer")
        await connection.close()
        await harness.server.shutdown()
    }

    func testZeroTimeoutMeansTheServerDefault() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, gate: gate, defaultTimeout: .milliseconds(100))
        let connection = try await RawConnection.connect(port: harness.server.port)
        try await connection.send(TestFrames.compare(callID: 1, source: "stall", timeoutMillis: 0))
        XCTAssertTrue(gate.waitForArrivals(1))
        let replies = try await within(10) { try await TestFrames.awaitReplies(1, on: connection) }
        XCTAssertEqual(replies.first?.status, .deadlineExceeded)
        gate.open()
        await connection.close()
        await harness.server.shutdown()
    }

    // MARK: 7. The event loop's work does not grow with the frame

    func testPayloadIsNotDecodedOnTheEventLoop() throws {
        let registry = ApplicationRegistry([Application(id: "shop", keyDigest: APIKeyDigest(key: "k"))])
        let dispatcher = RPCDispatcher(registry: registry, service: MatchService(store: InMemoryStore()),
                                       isServing: { true }, logger: Logger(label: "t"))
        // Undecodable as a CompareRequest: refused only by the worker that decodes it.
        let call = IncomingCall(callID: 1, method: "Compare", apiKey: "k", deadline: nil, payload: [0x0A, 0x7F, 0x01])
        guard case .work(let work) = dispatcher.plan(call) else {
            return XCTFail("the event loop must hand the payload to a worker undecoded")
        }
        let reply = work(.uniform(FakeAnalyzer(gate: nil)), .unbounded)
        XCTAssertEqual(reply.status, .invalidArgument)
        XCTAssertTrue(reply.message.contains("undecodable Compare request"), reply.message)
    }

    // MARK: 8. An oversize request fails alone, in the client

    func testClientOversizeRequestFailsAloneAndTheConnectionGoesOn() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, gate: gate)
        let client = try await MatchClient.connect(host: "127.0.0.1", port: harness.server.port, apiKey: TestServer.shopKey,
                                                   maxFrameBytes: 4096)
        let inFlight = Task { try await client.compare(source: Array("block".utf8), target: Array("face:0".utf8)) }
        XCTAssertTrue(gate.waitForArrivals(1))
        do {
            _ = try await client.compare(source: [UInt8](repeating: 1, count: 5000), target: Array("face:0".utf8))
            XCTFail("a request over the frame limit must fail")
        } catch let error as MatchClientError {
            guard case .requestTooLarge(let bytes, 4096) = error else { return XCTFail("\(error)") }
            XCTAssertGreaterThan(bytes, 5000)
        }
        gate.open()
        let first = try await inFlight.value
        XCTAssertEqual(first.status, .approved, "the call in flight is unharmed")
        let next = try await client.compare(source: Array("face:1".utf8), target: Array("face:1".utf8))
        XCTAssertEqual(next.status, .approved, "and so is the next one")
        await client.close()
        await harness.server.shutdown()
    }

    // MARK: 12. Duplicate call ids

    func testDuplicateCallIDInFlightGetsItsOwnRefusalUnderTheSameID() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, gate: gate)
        let connection = try await RawConnection.connect(port: harness.server.port)
        try await connection.send(TestFrames.compare(callID: 7, source: "block"))
        XCTAssertTrue(gate.waitForArrivals(1))
        try await connection.send(TestFrames.compare(callID: 7, source: "face:0"))
        let refusal = try await within(10) { try await TestFrames.awaitReplies(1, on: connection) }
        XCTAssertEqual(refusal.first?.callID, 7)
        XCTAssertEqual(refusal.first?.status, .invalidArgument)
        gate.open()
        let both = try await within(10) { try await TestFrames.awaitReplies(2, on: connection) }
        XCTAssertEqual(both.map(\.callID), [7, 7])
        XCTAssertEqual(both.last?.status, .ok, "the first call still gets its own answer")
        await connection.close()
        await harness.server.shutdown()
    }

    // MARK: 9. Protocol errors are counted, and logged at a bounded rate

    func testHostileClientCannotFloodTheLog() async throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "contract") { _ in CollectingLogHandler(lines: lines) }
        logger.logLevel = .info
        let harness = try await TestServer.start(logger: logger)
        for _ in 0..<40 {
            let connection = try await RawConnection.connect(port: harness.server.port)
            try await connection.send([0, 0, 0, 3, 0xFF, 0xFF, 0xFF])
            try await within(10) { await connection.closed() }
        }
        let logged = lines.withLockedValue { $0.filter { $0.contains("protocol error") } }
        XCTAssertEqual(logged.count, LogRateLimiter().burst, "the first few are logged, the rest only counted")
        XCTAssertEqual(harness.server.metrics.protocolErrorCount(kind: "malformed_envelope"), 40)
        XCTAssertTrue(harness.server.metrics.render().contains(#"facematch_protocol_errors_total{kind="malformed_envelope"} 40"#))
        await harness.server.shutdown()
    }
}

/// Keeps every log line's message, for tests that count what was logged.
struct CollectingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.withLockedValue { $0.append("\(event.message)") }
    }
}
