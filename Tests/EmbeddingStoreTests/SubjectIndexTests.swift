import XCTest
@testable import EmbeddingStore

final class SubjectIndexTests: XCTestCase {
    func testAddRemoveReuseAndOrder() {
        var index = SubjectIndex()
        let a = index.add(slot: 3, to: "alice")
        index.add(slot: 5, to: "alice")
        let b = index.add(slot: 4, to: "bob")
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(index.slots(of: "alice"), [3, 5])
        index.remove(slot: 3, from: "alice")
        XCTAssertEqual(index.slots(of: "alice"), [5])
        index.remove(slot: 5, from: "alice")
        XCTAssertEqual(index.slots(of: "alice"), [])
        XCTAssertEqual(index.subjectCount, 1)
        XCTAssertEqual(index.add(slot: 9, to: "alice"), a, "a returning subject keeps its number")
        XCTAssertEqual(index.templateCount, 2)
        XCTAssertEqual(index.liveSlots().map(\.slot), [4, 9])
        XCTAssertEqual(index.name(ofNumber: b), "bob")
    }

    func testManySubjectsGrowTheTableAndListPagesInByteOrder() {
        var index = SubjectIndex()
        for i in 0..<5000 { index.add(slot: i, to: "s\(i)") }
        XCTAssertEqual(index.subjectCount, 5000)
        XCTAssertEqual(index.slots(of: "s4321"), [4321])
        var seen: [String] = []
        var cursor: String?
        while true {
            let page = index.list(after: cursor, limit: 700)
            if page.isEmpty { break }
            seen += page
            cursor = page.last
        }
        XCTAssertEqual(seen, (0..<5000).map { "s\($0)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}
