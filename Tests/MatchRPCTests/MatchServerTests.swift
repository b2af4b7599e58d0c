import MatchClient
import NIOCore
import NIOPosix
import Wire
import XCTest
@testable import MatchRPC

/// The server over loopback with the fake engine: calls, auth, isolation, pipelining, deadlines,
/// overload and graceful shutdown.
final class MatchServerTests: XCTestCase {

    private func assertStatus<T>(_ expected: RPCStatusCode, file: StaticString = #filePath, line: UInt = #line,
                                 _ body: () async throws -> T) async {
        do {
            _ = try await body()
            XCTFail("expected \(expected.name), the call succeeded", file: file, line: line)
        } catch let error as MatchClientError {
            XCTAssertEqual(error.code, expected, "\(error)", file: file, line: line)
            if case .status = error {} else { XCTFail("\(error) is not the server's answer", file: file, line: line) }
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }

    func testCompareReportCarriesFacesVendorDataAndCallInfo() async throws {
        let harness = try await TestServer.start()
        let client = try await harness.client()
        let report = try await client.compare(source: fakeImage("face:4"), target: fakeImage("face:4:0.3"), vendorData: "order-17")
        XCTAssertEqual(report.status, .approved)
        XCTAssertEqual(report.distance ?? -1, 0.3, accuracy: 1e-5)
        XCTAssertEqual(report.score, ScoreCalibration.dlib.score(distance: 0.3), accuracy: 1e-3)
        XCTAssertEqual(report.vendorData, "order-17")
        XCTAssertEqual(report.info.modelID, FaceModelID.dlib.rawValue, "the application's model")
        XCTAssertFalse(report.info.requestID.isEmpty)
        XCTAssertGreaterThanOrEqual(report.info.serverTimeMs, 0)
        XCTAssertEqual(report.sourceFace?.landmarks.count, 5)
        XCTAssertEqual(report.targetFace?.box.left, 10)
        let declined = try await client.compare(source: fakeImage("face:4"), target: fakeImage("noface"))
        XCTAssertEqual(declined.status, .declined)
        XCTAssertEqual(declined.warnings.map(\.risk), ["NO_REFERENCE_IMAGE"])
        await client.close()
        await harness.server.shutdown()
    }

    func testEnrollVerifyIdentifyDeleteVerify() async throws {
        let harness = try await TestServer.start()
        let client = try await harness.client()
        let enrolled = try await client.enroll(subject: "alice", image: fakeImage("face:8"), vendorData: "v1")
        XCTAssertTrue(enrolled.enrolled)
        XCTAssertEqual(enrolled.subjectID, "alice")
        XCTAssertEqual(enrolled.enrollmentCount, 1)
        XCTAssertEqual(enrolled.vendorData, "v1")
        let verified = try await client.verify(subject: "alice", image: fakeImage("face:8:0.2"))
        XCTAssertEqual(verified.status, .approved)
        let identified = try await client.identify(image: fakeImage("face:8:0.1"), topK: 5, minScore: 50)
        XCTAssertEqual(identified.candidates.map(\.subjectID), ["alice"])
        let deleted = try await client.deleteEnrollment(subject: "alice")
        XCTAssertTrue(deleted.deleted)
        let after = try await client.verify(subject: "alice", image: fakeImage("face:8"))
        XCTAssertEqual(after.status, .declined)
        XCTAssertEqual(after.warnings.first?.risk, "NO_REFERENCE_IMAGE")
        await assertStatus(.notFound) { try await client.deleteEnrollment(subject: "alice") }
        let noFace = try await client.enroll(subject: "bob", image: fakeImage("noface"))
        XCTAssertFalse(noFace.enrolled)
        XCTAssertEqual(noFace.warnings.map(\.risk), ["NO_FACE_DETECTED"])
        await client.close()
        await harness.server.shutdown()
    }

    func testApplicationsAreIsolatedAndUseTheirOwnThresholds() async throws {
        let harness = try await TestServer.start()
        let shop = try await harness.client(key: TestServer.shopKey)
        let bank = try await harness.client(key: TestServer.bankKey)
        _ = try await shop.enroll(subject: "alice", image: fakeImage("face:8"))
        let seenByBank = try await bank.verify(subject: "alice", image: fakeImage("face:8"))
        XCTAssertEqual(seenByBank.warnings.first?.risk, "NO_REFERENCE_IMAGE")
        let bankSearch = try await bank.identify(image: fakeImage("face:8"), topK: 50, minScore: 0)
        XCTAssertTrue(bankSearch.candidates.isEmpty)
        await assertStatus(.notFound) { try await bank.deleteEnrollment(subject: "alice") }
        let shopHealth = try await shop.health()
        XCTAssertEqual(shopHealth.subjects, 1)
        let bankHealth = try await bank.health()
        XCTAssertEqual(bankHealth.subjects, 0)
        // Same pair, different thresholds: shop (70/50) approves a pair scoring 91, bank (95/90) does not.
        let pair = "face:3:\(ScoreCalibration.dlib.distance(forScore: 91))"
        let shopReport = try await shop.compare(source: fakeImage("face:3"), target: fakeImage(pair))
        let bankReport = try await bank.compare(source: fakeImage("face:3"), target: fakeImage(pair))
        XCTAssertEqual(shopReport.status, .approved)
        XCTAssertNotEqual(bankReport.status, .approved)
        await shop.close()
        await bank.close()
        await harness.server.shutdown()
    }

    func testErrorsUseTheirStatusCodes() async throws {
        let harness = try await TestServer.start()
        let wrong = try await harness.client(key: "not-a-key")
        await assertStatus(.unauthenticated) { try await wrong.health() }
        await assertStatus(.unauthenticated) { try await wrong.call(method: "Nope", payload: []) }
        await wrong.close()
        let client = try await harness.client()
        await assertStatus(.invalidArgument) { try await client.compare(source: fakeImage("face:1"), target: fakeImage("GIF89a...")) }
        await assertStatus(.invalidArgument) { try await client.identify(image: fakeImage("face:1"), topK: 51, minScore: 0) }
        await assertStatus(.invalidArgument) { try await client.verify(subject: "", image: fakeImage("face:1")) }
        await assertStatus(.unimplemented) { try await client.call(method: "Nope", payload: []) }
        await assertStatus(.invalidArgument) { try await client.call(method: "Compare", payload: [0xFF, 0xFF, 0xFF]) }
        await assertStatus(.internal) { try await client.verify(subject: "a", image: fakeImage("crash")) }
        await assertStatus(.invalidArgument) {
            try await client.compare(source: fakeImage("face:1"), target: fakeImage("face:1"), vendorData: String(repeating: "v", count: 257))
        }
        try await harness.assertStillServes()
        await client.close()
        await harness.server.shutdown()
    }

    func testPipelinedCallsAnswerOutOfOrder() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, gate: gate)
        let client = try await harness.client()
        let slow = Task { try await client.compare(source: fakeImage("block"), target: fakeImage("face:0")) }
        XCTAssertTrue(gate.waitForArrivals(1))
        // Same connection: Health is answered while the Compare before it is still running.
        let health = try await client.health()
        XCTAssertTrue(health.serving)
        gate.open()
        let report = try await slow.value
        XCTAssertEqual(report.status, .approved)
        await client.close()
        await harness.server.shutdown()
    }

    func testFullQueueIsResourceExhaustedAndExpiredCallsNeverRun() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 1, queueCapacity: 1, gate: gate)
        let client = try await harness.client()
        let running = Task { try await client.compare(source: fakeImage("block"), target: fakeImage("face:0")) }
        XCTAssertTrue(gate.waitForArrivals(1))
        // Waits for the worker; its 200 ms deadline passes first, so it must not enrol anything.
        let expiring = Task {
            try await client.enroll(subject: "late", image: fakeImage("face:3"), vendorData: "", replace: false,
                                    timeout: .milliseconds(200))
        }
        await assertStatus(.deadlineExceeded) { try await expiring.value }
        // The worker is blocked and the queue holds one call: of five more, exactly one waits and
        // four are refused at once.
        let codes = await withTaskGroup(of: RPCStatusCode.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        _ = try await client.verify(subject: "x", image: fakeImage("face:1"))
                        return .ok
                    } catch let error as MatchClientError {
                        return error.code
                    } catch {
                        return .unknown
                    }
                }
            }
            var codes: [RPCStatusCode] = []
            for await code in group {
                codes.append(code)
                // The waiting call cannot finish while the worker is blocked: four answers in,
                // they are the refusals; now let everything run.
                if codes.count == 4 { gate.open() }
            }
            return codes
        }
        _ = try await running.value
        XCTAssertEqual(codes.filter { $0 == .resourceExhausted }.count, 4, "\(codes.map(\.name))")
        XCTAssertEqual(codes.filter { $0 == .ok }.count, 1)
        XCTAssertEqual(try harness.store.enrollmentCount(namespace: "shop", subject: "late"), 0,
                       "an expired call must not run")
        XCTAssertEqual(harness.server.metrics.callCount(method: "Verify", code: "RESOURCE_EXHAUSTED"), 4)
        try await harness.assertStillServes()
        await client.close()
        await harness.server.shutdown()
    }

    func testGracefulShutdownAnswersAll64InFlightCallsAndRefusesNewOnes() async throws {
        let gate = Gate()
        let harness = try await TestServer.start(workers: 64, queueCapacity: 64, gate: gate)
        let clients = try await (0..<4).asyncMap { _ in try await harness.client() }
        let calls = (0..<64).map { index in
            Task { try await clients[index % 4].compare(source: fakeImage("block"), target: fakeImage("face:0")) }
        }
        XCTAssertTrue(gate.waitForArrivals(64), "all 64 calls are running")
        await harness.server.stopAccepting()
        await assertStatus(.unavailable) { try await clients[0].verify(subject: "a", image: fakeImage("face:1")) }
        let health = try await clients[1].health()
        XCTAssertFalse(health.serving, "Health still answers, saying the server is not serving")
        do {
            let late = try await harness.client()
            await late.close()
            XCTFail("a new connection must be refused once shutdown began")
        } catch {}
        let shutdown = Task { await harness.server.shutdown() }
        gate.open()
        var answered = 0
        for call in calls {
            let report = try await call.value
            XCTAssertEqual(report.status, .approved)
            answered += 1
        }
        XCTAssertEqual(answered, 64)
        await shutdown.value
        XCTAssertTrue(harness.store.isClosed, "store closed after the last call")
    }

    func testMetricsEndpointServesPrometheusText() async throws {
        let harness = try await TestServer.start(metrics: true)
        let client = try await harness.client()
        _ = try await client.compare(source: fakeImage("face:1"), target: fakeImage("face:1"))
        let port = try XCTUnwrap(harness.server.metricsPort)
        let connection = try await RawConnection.connect(port: port)
        try await connection.send(Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        await connection.closed()
        let text = String(decoding: connection.received, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 200 OK"), text)
        XCTAssertTrue(text.contains("facematch_calls_total{method=\"Compare\",code=\"OK\"} 1"), text)
        XCTAssertTrue(text.contains("facematch_queue_depth 0"), text)
        XCTAssertTrue(text.contains("facematch_call_duration_seconds_bucket{method=\"Compare\""), text)
        await client.close()
        await harness.server.shutdown()
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
