import Foundation
import Logging
import NIOConcurrencyHelpers
import XCTest
@testable import MatchRPC

/// The retention sweep with an injected clock: the store stamps enrolments with the test's clock
/// and the sweep runs at a chosen "now", so "40 days later" takes no time.
final class RetentionSweepTests: XCTestCase {
    private let day: TimeInterval = 86_400
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func app(_ id: String, retentionDays: Int?) -> Application {
        Application(id: id, keyDigest: APIKeyDigest(key: id), retentionDays: retentionDays)
    }

    /// The default model's store only, so the sweep asks it once per application.
    private func stores(_ store: any EnrollmentStoring) -> ModelStores { ModelStores([.serviceDefault: store]) }

    func testOldTemplatesAreErasedFreshOnesKeptAndUnlimitedApplicationsUntouched() throws {
        let now = NIOLockedValueBox(start)
        let store = InMemoryStore(clock: { now.withLockedValue { $0 } })
        let v: [Float] = Array(repeating: 0.1, count: 128)
        for ns in ["month", "year", "forever"] {
            _ = try store.enroll(namespace: ns, subject: "old", vector: v, vendorData: [], mode: .append)
            _ = try store.enroll(namespace: ns, subject: "mixed", vector: v, vendorData: [], mode: .append)
        }
        now.withLockedValue { $0 = start.addingTimeInterval(40 * day) }
        for ns in ["month", "year", "forever"] {
            _ = try store.enroll(namespace: ns, subject: "mixed", vector: v, vendorData: [], mode: .append)
            _ = try store.enroll(namespace: ns, subject: "fresh", vector: v, vendorData: [], mode: .append)
        }
        let registry = ApplicationRegistry([app("month", retentionDays: 30), app("year", retentionDays: 365),
                                            app("forever", retentionDays: nil)])
        let metrics = MetricsRegistry()
        let sweep = RetentionSweep(stores: stores(store), registry: registry, metrics: metrics, logger: Logger(label: "test"))

        let erased = sweep.run(now: start.addingTimeInterval(40 * day))

        XCTAssertEqual(erased, ["month": 2, "year": 0], "an application without retention_days is not swept")
        XCTAssertEqual(try store.enrollmentCount(namespace: "month", subject: "old"), 0)
        XCTAssertEqual(try store.enrollmentCount(namespace: "month", subject: "mixed"), 1, "its fresh template stays")
        XCTAssertEqual(try store.enrollmentCount(namespace: "month", subject: "fresh"), 1)
        for ns in ["year", "forever"] {
            XCTAssertEqual(try store.enrollmentCount(namespace: ns, subject: "old"), 1, ns)
            XCTAssertEqual(try store.enrollmentCount(namespace: ns, subject: "mixed"), 2, ns)
        }
        XCTAssertEqual(metrics.retentionErasedCount(application: "month"), 2)
        let text = metrics.render()
        XCTAssertTrue(text.contains("facematch_retention_erased_templates_total{application=\"month\"} 2\n"), text)
        XCTAssertTrue(text.contains("facematch_retention_erased_templates_total{application=\"year\"} 0\n"), text)
        XCTAssertFalse(text.contains("application=\"forever\""), text)

        // A later sweep erases what has aged past the limit since, and the counter adds up.
        XCTAssertEqual(sweep.run(now: start.addingTimeInterval(71 * day)), ["month": 2, "year": 0])
        XCTAssertEqual(metrics.retentionErasedCount(application: "month"), 4)
        XCTAssertEqual(try store.stats(namespace: "month").vectors, 0)
    }

    func testTheCutoffIsExactlyRetentionDaysBeforeNow() throws {
        let recorder = CutoffRecorder()
        let sweep = RetentionSweep(stores: stores(recorder), registry: ApplicationRegistry([app("a", retentionDays: 30)]),
                                   metrics: MetricsRegistry(), logger: Logger(label: "test"))
        sweep.run(now: start)
        XCTAssertEqual(recorder.cutoffs, ["a": start.addingTimeInterval(-30 * day)])
    }

    /// A store failing for one application does not stop the others, and nothing is counted for it.
    func testAFailingApplicationDoesNotStopTheOthers() throws {
        let recorder = CutoffRecorder(failing: "a")
        let metrics = MetricsRegistry()
        let sweep = RetentionSweep(stores: stores(recorder), registry: ApplicationRegistry([app("a", retentionDays: 30),
                                                                                   app("b", retentionDays: 60)]),
                                   metrics: metrics, logger: Logger(label: "test"))
        XCTAssertEqual(sweep.run(now: start), ["b": 7])
        XCTAssertEqual(metrics.retentionErasedCount(application: "a"), 0)
        XCTAssertEqual(metrics.retentionErasedCount(application: "b"), 7)
    }
}

/// Records the cutoff asked per namespace; erases 7 templates, or fails for one namespace.
private final class CutoffRecorder: EnrollmentStoring {
    private let seen = NIOLockedValueBox<[String: Date]>([:])
    private let failing: String?

    init(failing: String? = nil) {
        self.failing = failing
    }

    var cutoffs: [String: Date] { seen.withLockedValue { $0 } }

    func eraseTemplates(namespace: String, enrolledBefore cutoff: Date) throws -> Int {
        if namespace == failing { throw ServiceError.unavailable("down", retryAfterMillis: 1000) }
        seen.withLockedValue { $0[namespace] = cutoff }
        return 7
    }

    func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8], mode: EnrollmentMode) throws -> Int { 0 }
    func bestDistance(namespace: String, subject: String, vector: [Float]) throws -> Double? { nil }
    func enrollmentCount(namespace: String, subject: String) throws -> Int { 0 }
    func search(namespace: String, vector: [Float], topK: Int, maxDistance: Double) throws -> [StoreHit] { [] }
    func delete(namespace: String, subject: String) throws -> Bool { false }
    func stats(namespace: String?) throws -> EnrollmentStats { EnrollmentStats(subjects: 0, vectors: 0, bytes: 0) }
    func close() throws {}
}
