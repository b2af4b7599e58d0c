import Foundation
import XCTest
@testable import EmbeddingStore

/// Damage applied to copies of a store — bit flips, truncations, zeroed 4 KiB blocks — must be
/// detected (typed error on open, a recovery report with loss or a trimmed tail, or an integrity
/// check failure), and no damaged template may ever be served.
///
/// Damage is aimed at bytes that hold data: the whole log, the whole key file, the slab header and
/// the sealed records of committed slots (their zero padding and unused slab space past the last
/// slot hold nothing to protect). A truncation
/// of the log exactly at a batch boundary is indistinguishable from a store that never had those
/// batches, so log truncations use lengths that are not multiples of 64.
final class CorruptionTests: XCTestCase {
    var source = ""
    var originals: [String: [[Float]]] = [:]
    let slots = 300

    override func setUp() {
        source = makeTempDirectory("corrupt-src")
        var rng = TestRNG(state: 41)
        do {
            let store = try EmbeddingStore.open(directory: source, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
            for b in 0..<10 {
                var batch: [Enrollment] = []
                for i in 0..<(slots / 10) {
                    let v = randomUnitVector(rng: &rng)
                    let subject = "s\((b * 30 + i) % 120)"
                    originals[subject, default: []].append(v)
                    batch.append(Enrollment(subject: subject, vector: v, vendorData: Array(subject.utf8)))
                }
                try store.enroll(namespace: "n", batch: batch)
            }
        } catch {
            XCTFail("setup: \(error)")
        }
    }

    override func tearDown() { cleanup(source) }

    private enum Damage { case flip, truncate, zeroBlock }

    func testBitFlipsTruncationsAndZeroedBlocksAreDetected() throws {
        let seed = TestSeed.value(fallback: 42)
        var rng = TestRNG(state: seed)
        let ns = source + "/namespaces/n"
        let format = SlabFormat(dimension: 128)
        var undetected: [String] = []
        for trial in 0..<45 {
            let damage: Damage = [.flip, .truncate, .zeroBlock][trial % 3]
            let file = ["log.1", "slab.1", "keys"][(trial / 3) % 3]
            let onLog = file != "slab.1"
            let copy = makeTempDirectory("corrupt")
            defer { cleanup(copy) }
            try FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: source, toPath: copy)
            let path = copy + "/namespaces/n/" + file
            var bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
            XCTAssertTrue(FileManager.default.fileExists(atPath: ns + "/log.1"))
            // A byte that holds data.
            let target: Int
            if onLog || rng.next() % 8 == 0 {
                target = onLog ? Int(rng.next() % UInt64(bytes.count)) : Int(rng.next() % 4096)
            } else {
                let slot = Int(rng.next() % UInt64(slots))
                target = format.sealedOffset(slot) + Int(rng.next() % UInt64(4 + format.sealedBytes))
            }
            let what: String
            switch damage {
            case .flip:
                bytes[target] ^= 1 << UInt8(rng.next() % 8)
                what = "flip at \(target)"
            case .truncate:
                var cut = max(1, target)
                if file == "log.1" && cut % 64 == 0 { cut -= 1 }
                bytes.removeSubrange(cut...)
                what = "truncate to \(cut)"
            case .zeroBlock:
                let start = target / 4096 * 4096
                for i in start..<min(bytes.count, start + 4096) { bytes[i] = 0 }
                what = "zero block \(start)"
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let label = "\(file) \(what) (trial \(trial), \(TestSeed.note(seed)))"
            if try !detectsDamageAndServesNothingWrong(copy, label: label) { undetected.append(label) }
        }
        XCTAssertEqual(undetected, [])
    }

    /// True when the damage was reported; fails the test if anything served differs from what was stored.
    private func detectsDamageAndServesNothingWrong(_ dir: String, label: String) throws -> Bool {
        let store: EmbeddingStore
        do {
            store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        } catch {
            return true  // a typed StoreError: the damage was reported
        }
        // A damaged key page put back from keys.journal counts as detected: it is reported.
        var detected = !(store.recoveryReports()["n"].map { $0.isClean && $0.trimmedTailBytes == 0 && $0.repairedKeyPages.isEmpty } ?? false)
        // Serving before and after the integrity check must never return damaged data.
        for pass in 0..<2 {
            for (subject, vectors) in originals {
                for t in try store.templates(namespace: "n", subject: subject) {
                    XCTAssertTrue(vectors.contains(t.vector) && t.vendorData == Array(subject.utf8), "\(label): served a damaged template")
                }
            }
            for q in originals.values.prefix(8).compactMap(\.first) {
                for h in try store.search(namespace: "n", vector: q, topK: 5) {
                    let real = originals[h.subject]?.map { l2(q, $0) } ?? []
                    XCTAssertTrue(real.contains { abs($0 - h.distance) < 1e-4 }, "\(label): search served a damaged template")
                }
            }
            if pass == 0, let report = store.integrityCheck()["n"], !report.isClean { detected = true }
        }
        return detected
    }
}
