import EmbeddingStore
import PostgresNIO
import TemplateCrypto
import XCTest
@testable import EnrollmentCluster

/// The follower's batch application and its hand-off to waiting writers, without PostgreSQL.
final class FeedApplyTests: XCTestCase {
    func testABatchLeavesEachSubjectAtItsNewestState() throws {
        let directory = makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try openCache(directory)
        let follower = FeedFollower(
            configuration: .init(host: "127.0.0.1", port: 1, username: "u", password: nil, database: nil, tls: .disable),
            applier: CacheApplier(store: store, maxTemplatesPerSubject: 3),
            sealing: TemplateSealing(masterKey: MasterKey.random(), model: .dlib), cacheDirectory: directory, clusterID: "c",
            state: FollowerState(appliedPosition: 0, headPosition: 0), doorbell: Doorbell(), logger: Logger(label: "test"))
        func change(_ position: Int64, _ subject: String, _ templates: [StoredTemplate]) -> FeedChange {
            FeedChange(position: position, committedAt: 0,
                       state: SubjectState(namespace: "app", subject: subject, templates: templates))
        }
        try follower.apply([change(1, "a", [template(1)]), change(2, "b", [template(2)]),
                            change(3, "a", [template(1), template(3)]), change(4, "b", [])])
        XCTAssertEqual(try cached(store, "a"), [template(1), template(3)])
        XCTAssertEqual(try cached(store, "b"), [])
    }

    func testWritersWaitForTheirPositionAndGiveUpAfterTheTimeout() {
        let state = FollowerState(appliedPosition: 3, headPosition: 3)
        XCTAssertTrue(state.waitApplied(3, timeout: 0))
        XCTAssertFalse(state.waitApplied(4, timeout: 0.05))
        let done = expectation(description: "woken")
        Thread {
            if state.waitApplied(5, timeout: 10) { done.fulfill() }
        }.start()
        state.applied(upTo: 5, lags: [0.01])
        wait(for: [done], timeout: 10)
        XCTAssertEqual(state.status.appliedPosition, 5)
    }

    func testUnreachableIsReportedUntilTheNextApply() {
        let state = FollowerState(appliedPosition: 0, headPosition: 0)
        XCTAssertTrue(state.unreachable())
        XCTAssertFalse(state.unreachable())
        XCTAssertTrue(state.status.degraded)
        state.sawHead(9)
        XCTAssertEqual(state.status.headPosition, 9)
        state.applied(upTo: 9, lags: [0.5, 0.2])
        XCTAssertFalse(state.status.degraded)
        XCTAssertEqual(state.status.lagSeconds, 0.2)
    }

    func testARingBeforeTheWaitIsNotLost() async {
        let bell = Doorbell()
        bell.ring()
        let started = ContinuousClock.now
        await bell.wait(upTo: .seconds(30))
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(10))
    }
}

final class FollowerLagTests: XCTestCase {
    func testLagSamplesKeepTheirOrder() {
        let state = FollowerState(appliedPosition: 0, headPosition: 0)
        state.applied(upTo: 2, lags: [0.1, 0.2])
        state.applied(upTo: 3, lags: [0.3])
        XCTAssertEqual(state.recentLags, [0.1, 0.2, 0.3])
        XCTAssertEqual(state.status.lagSeconds, 0.3)
    }
}
