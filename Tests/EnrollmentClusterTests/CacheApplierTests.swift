import EmbeddingStore
import XCTest
@testable import EnrollmentCluster

final class CacheApplierTests: XCTestCase {
    private var directory = ""
    private var store: EmbeddingStore!
    private var applier: CacheApplier!

    override func setUpWithError() throws {
        directory = makeTempDirectory()
        store = try openCache(directory)
        applier = CacheApplier(store: store, maxTemplatesPerSubject: 3)
    }

    override func tearDown() {
        store = nil
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func state(_ templates: [StoredTemplate], subject: String = "alice") -> SubjectState {
        SubjectState(namespace: "app", subject: subject, templates: templates)
    }

    func testNewSubjectThenAppendsAreAppliedAsAppends() throws {
        XCTAssertEqual(try applier.apply(state([template(1)])), .replaced)
        XCTAssertEqual(try applier.apply(state([template(1), template(2, vendor: [7])])), .appended(1))
        XCTAssertEqual(try cached(store, "alice"), [template(1), template(2, vendor: [7])])
    }

    func testApplyingTheSameStateTwiceChangesNothing() throws {
        let s = state([template(1), template(2)])
        try applier.apply(s)
        XCTAssertEqual(try applier.apply(s), .unchanged)
        XCTAssertEqual(try cached(store, "alice").count, 2)
    }

    func testAppendBeyondTheLimitMatchesTheDatabaseEviction() throws {
        try applier.apply(state([template(1), template(2), template(3)]))
        XCTAssertEqual(try applier.apply(state([template(2), template(3), template(4)])), .appended(1))
        XCTAssertEqual(try cached(store, "alice"), [template(2), template(3), template(4)])
    }

    func testReplaceAndDelete() throws {
        try applier.apply(state([template(1), template(2)]))
        XCTAssertEqual(try applier.apply(state([template(9)])), .replaced)
        XCTAssertEqual(try cached(store, "alice"), [template(9)])
        XCTAssertEqual(try applier.apply(state([])), .deleted)
        XCTAssertEqual(try cached(store, "alice"), [])
        XCTAssertNil(try store.verify(namespace: "app", subject: "alice", vector: vector(9)))
    }

    func testReplayingAnOlderStateThenTheNewerOneConverges() throws {
        let older = state([template(1)])
        let newer = state([template(1), template(2)])
        try applier.apply(older)
        try applier.apply(newer)
        try applier.apply(older)
        try applier.apply(newer)
        XCTAssertEqual(try cached(store, "alice"), [template(1), template(2)])
    }

    func testTheSameVectorEnrolledTwiceIsKeptTwice() throws {
        try applier.apply(state([template(5)]))
        XCTAssertEqual(try applier.apply(state([template(5), template(5)])), .appended(1))
        XCTAssertEqual(try cached(store, "alice").count, 2)
    }

    func testOtherSubjectsAreUntouched() throws {
        try applier.apply(state([template(1)], subject: "bob"))
        try applier.apply(state([template(2)]))
        try applier.apply(state([]))
        XCTAssertEqual(try cached(store, "bob"), [template(1)])
    }
}
