import Foundation
import XCTest
@testable import EmbeddingStore

/// A key page torn by a crash (the second half still the old bytes, as when SIGKILL stops the
/// write between memory pages) is put back from `keys.journal` at open; without the journal the
/// page's 32 subjects would lose their templates.
final class KeyPageJournalTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = makeTempDirectory("journal") }
    override func tearDown() { cleanup(dir) }

    private var keysPath: String { dir + "/namespaces/n/keys" }

    /// Enrols s0..s9, keeps the key file, enrols s10 (its key lands on the same page, so the
    /// page is rewritten), then writes the kept half of the old page over the new one: a torn write.
    private func storeWithATornKeyPage() throws -> [[Float]] {
        var rng = TestRNG(state: 71)
        let vectors = (0..<11).map { _ in randomUnitVector(rng: &rng) }
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        for i in 0..<10 { try store.enroll(namespace: "n", subject: "s\(i)", vector: vectors[i]) }
        let before = try XCTUnwrap(FileManager.default.contents(atPath: keysPath))
        try store.enroll(namespace: "n", subject: "s10", vector: vectors[10])
        var after = try XCTUnwrap(FileManager.default.contents(atPath: keysPath))
        let half = SubjectKeys.headerSize + SubjectKeys.stride / 2
        XCTAssertNotEqual(before[half...], after[half..<before.count], "the page was rewritten")
        after.replaceSubrange(half..<(SubjectKeys.headerSize + SubjectKeys.stride), with: before[half..<(SubjectKeys.headerSize + SubjectKeys.stride)])
        try after.write(to: URL(fileURLWithPath: keysPath))
        return vectors
    }

    func testATornKeyPageIsRepairedFromTheJournal() throws {
        let vectors = try storeWithATornKeyPage()
        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(reopened.recoveryReports()["n"], RecoveryReport(repairedKeyPages: [0]))
        for (i, v) in vectors.enumerated() {
            XCTAssertEqual(try reopened.verify(namespace: "n", subject: "s\(i)", vector: v) ?? 1, 0, accuracy: 1e-6, "s\(i)")
        }
        XCTAssertTrue(reopened.integrityCheck()["n"]?.isClean == true)
        // The repair went back in place: the page opens without the journal now.
        try FileManager.default.removeItem(atPath: dir + "/namespaces/n/" + KeyPageJournal.fileName)
        let again = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(again.recoveryReports()["n"], RecoveryReport())
    }

    func testWithoutTheJournalTheTornPageLosesItsSubjects() throws {
        _ = try storeWithATornKeyPage()
        try FileManager.default.removeItem(atPath: dir + "/namespaces/n/" + KeyPageJournal.fileName)
        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        // s0-s9's templates; s10's batch, the last, then looks torn (its vector cannot be checked)
        // and is trimmed rather than counted.
        XCTAssertEqual(reopened.recoveryReports()["n"]?.lostTemplateSlots.count, 10)
    }

    func testATornJournalIsIgnored() throws {
        var rng = TestRNG(state: 72)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        try store.enroll(namespace: "n", subject: "a", vector: randomUnitVector(rng: &rng))
        let path = dir + "/namespaces/n/" + KeyPageJournal.fileName
        var journal = try XCTUnwrap(FileManager.default.contents(atPath: path))
        journal[journal.count / 2] ^= 0xff
        try journal.write(to: URL(fileURLWithPath: path))
        XCTAssertTrue(KeyPageJournal.images(directory: dir + "/namespaces/n", io: PosixFileIO(), stride: SubjectKeys.stride).isEmpty)
        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(reopened.recoveryReports()["n"], RecoveryReport(), "the key file itself is intact")
    }
}
