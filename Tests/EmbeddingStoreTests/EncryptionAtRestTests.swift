import XCTest
@testable import EmbeddingStore

/// Templates at rest: no file of the data folder holds a vector; keys, tampering and copies.
final class EncryptionAtRestTests: XCTestCase {
    var dir = ""
    override func setUp() { dir = makeTempDirectory("encrypted") }
    override func tearDown() { cleanup(dir) }

    /// Every 16-byte window of a vector's float32 bytes, at each of its 4-byte-aligned offsets.
    private struct Window: Hashable { var a: UInt64, b: UInt64 }

    private func windows(of vector: [Float]) -> [Window] {
        let bytes = vector.withUnsafeBytes { Array($0) }
        return stride(from: 0, through: bytes.count - 16, by: 4).map { window(bytes, at: $0) }
    }

    private func window(_ bytes: [UInt8], at i: Int) -> Window {
        bytes.withUnsafeBytes { Window(a: $0.loadUnaligned(fromByteOffset: i, as: UInt64.self), b: $0.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) }
    }

    /// Paths and offsets (any byte offset) where a window of `needles` occurs.
    private func hits(_ needles: Set<Window>, under root: String) -> [String] {
        var found: [String] = []
        for path in allFiles(under: root) {
            let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
            guard bytes.count >= 16 else { continue }
            for i in 0...(bytes.count - 16) where needles.contains(window(bytes, at: i)) { found.append("\(path)@\(i)") }
        }
        return found
    }

    func testNoFileInTheDataFolderHoldsAnEnrolledVector() throws {
        var rng = TestRNG(state: 61)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey, maxTemplatesPerSubject: 3))
        var vectors: [[Float]] = []
        for ns in ["a", "b"] {
            for i in 0..<60 {
                let v = randomUnitVector(rng: &rng)
                vectors.append(v)
                try store.enroll(namespace: ns, subject: "s\(i % 25)", vector: v)
            }
        }
        _ = try store.compact(namespace: "a")
        try store.delete(namespace: "b", subject: "s3")
        let needles = Set(vectors.flatMap(windows(of:)))
        XCTAssertEqual(hits(needles, under: dir), [])

        // The same search finds every vector in a plaintext copy (vectors among random bytes).
        let control = makeTempDirectory("plain-control")
        defer { cleanup(control) }
        var plain: [UInt8] = []
        var offsets: [Int] = []
        for v in vectors {
            plain += (0..<Int(rng.next() % 7 + 1)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            offsets.append(plain.count)
            plain += v.withUnsafeBytes { Array($0) }
        }
        XCTAssertTrue(FileManager.default.createFile(atPath: control + "/plain", contents: Data(plain)))
        let found = hits(needles, under: control)
        for (v, offset) in zip(vectors, offsets) {
            XCTAssertTrue(found.contains("\(control)/plain@\(offset)"), "vector at \(offset) not found")
            _ = v
        }
        XCTAssertEqual(try store.templates(namespace: "a", subject: "s1").count, 3, "the store still serves them")
    }

    /// Issue 11's erasure test at store level: a copy made before a Delete, once the master key
    /// that wrapped its data keys is rotated out and destroyed, yields nothing of the deleted subject.
    func testACopyLosesTheDeletedSubjectOnceTheOldMasterKeyIsDestroyed() throws {
        var rng = TestRNG(state: 62)
        let oldKey = MasterKey.random()
        var store: EmbeddingStore? = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: oldKey))
        let secret = randomUnitVector(rng: &rng)
        var live: [String: [Float]] = [:]
        try store!.enroll(namespace: "n", subject: "victim", vector: secret)
        for i in 0..<40 {
            let v = randomUnitVector(rng: &rng)
            live["s\(i)"] = v
            try store!.enroll(namespace: i < 20 ? "n" : "m2", subject: "s\(i)", vector: v)
        }
        let copy = makeTempDirectory("backup")
        defer { cleanup(copy) }
        try FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: dir, toPath: copy)

        XCTAssertTrue(try store!.delete(namespace: "n", subject: "victim"))
        let newKey = MasterKey.random()
        let report = try store!.rotateMasterKey(to: newKey)
        XCTAssertEqual(report.dataKeys, 40)
        XCTAssertEqual(report.namespaces, 2)
        store = nil

        // Before the old key is destroyed, the copy restores the victim.
        let restored = try EmbeddingStore.open(directory: copy, modelID: "m",
                                               options: StoreOptions(masterKey: oldKey))
        XCTAssertEqual(try restored.templates(namespace: "n", subject: "victim").map(\.vector), [secret])

        // Now only newKey and the data keys it unwraps exist.
        let current = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: newKey))
        for (subject, v) in live {
            XCTAssertEqual(try current.verify(namespace: Int(subject.dropFirst())! < 20 ? "n" : "m2", subject: subject, vector: v), 0, subject)
        }
        XCTAssertThrowsError(try EmbeddingStore.open(directory: copy, modelID: "m", options: StoreOptions(masterKey: newKey))) { error in
            guard case .wrongMasterKey = error as? StoreError else { return XCTFail("\(error)") }
        }
        let copyKeys = [UInt8](FileManager.default.contents(atPath: copy + "/namespaces/n/keys") ?? Data())
        let pages = (copyKeys.count - SubjectKeys.headerSize) / SubjectKeys.stride
        XCTAssertGreaterThan(pages, 0)
        for p in 0..<pages {
            let start = SubjectKeys.headerSize + p * SubjectKeys.stride
            let page = Array(copyKeys[start..<(start + WrappedKeyPage.byteCount(capacity: SubjectKeys.perPage))])
            XCTAssertThrowsError(try page.withUnsafeBytes { try newKey.unwrapPage($0, namespace: "n", page: UInt64(p)) })
        }
        let victimSealed = Array(sealedRecord(copy, slot: 0).dropFirst(4).prefix(SlabFormat(dimension: 128).sealedBytes))
        let context = TemplateContext(namespace: "n", subject: "victim", modelID: "m")
        var keysTried = 0
        for ns in ["n", "m2"] {
            let keys = try XCTUnwrap(try current.namespace(ns, create: false)?.keys)
            for subject in keys.subjects {
                let key = try XCTUnwrap(keys.entry(try XCTUnwrap(keys.ref(of: subject)))?.key)
                keysTried += 1
                XCTAssertThrowsError(try key.open(victimSealed, dimension: 128, for: context))
            }
        }
        XCTAssertEqual(keysTried, 40)
        XCTAssertNil(try current.namespace("n", create: false)?.keys.ref(of: "victim"))
    }

    /// Retention of a subject that keeps a newer template: the sweep re-keys it, so a copy made
    /// before the sweep, once the old master key is destroyed, yields nothing of the expired one.
    func testACopyLosesAnExpiredTemplateOfAKeptSubjectOnceTheOldMasterKeyIsDestroyed() throws {
        var rng = TestRNG(state: 63)
        let oldKey = MasterKey.random()
        let now = ManagedClock(1_000)
        var store: EmbeddingStore? = try EmbeddingStore.open(directory: dir, modelID: "m",
                                                             options: StoreOptions(masterKey: oldKey, clock: { now.value }))
        let expired = randomUnitVector(rng: &rng), fresh = randomUnitVector(rng: &rng)
        try store!.enroll(namespace: "n", subject: "mixed", vector: expired)
        now.value = 2_000
        try store!.enroll(namespace: "n", subject: "mixed", vector: fresh, vendorData: [7, 8])
        let oldRef = try XCTUnwrap(try store!.namespace("n", create: false)?.keys.ref(of: "mixed"))
        let copy = makeTempDirectory("backup")
        defer { cleanup(copy) }
        try FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: dir, toPath: copy)

        XCTAssertEqual(try store!.eraseTemplates(namespace: "n", createdBefore: 1_500), 1)
        let keys = try XCTUnwrap(try store!.namespace("n", create: false)?.keys)
        XCTAssertNotEqual(keys.ref(of: "mixed"), oldRef, "the subject has a fresh data key")
        XCTAssertNil(keys.entry(oldRef), "the old data key is destroyed")
        XCTAssertEqual(keys.subjects, ["mixed"])
        let newKey = MasterKey.random()
        XCTAssertEqual(try store!.rotateMasterKey(to: newKey).dataKeys, 1)
        store = nil

        // Before the old master key is destroyed, the copy restores the expired template.
        let restored = try EmbeddingStore.open(directory: copy, modelID: "m", options: StoreOptions(masterKey: oldKey))
        XCTAssertEqual(try restored.templates(namespace: "n", subject: "mixed").map(\.vector), [expired, fresh])

        let current = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: newKey))
        let kept = try current.templates(namespace: "n", subject: "mixed")
        XCTAssertEqual(kept, [Template(vector: fresh, modelID: "m", createdAtMillis: 2_000, vendorData: [7, 8])])
        XCTAssertEqual(try current.verify(namespace: "n", subject: "mixed", vector: fresh), 0)
        let expiredSealed = Array(sealedRecord(copy, slot: 0).dropFirst(4).prefix(SlabFormat(dimension: 128).sealedBytes))
        let context = TemplateContext(namespace: "n", subject: "mixed", modelID: "m")
        XCTAssertEqual(try restored.namespace("n", create: false)?.keys.entry(oldRef)?.key.open(expiredSealed, dimension: 128, for: context),
                       expired, "control: the old data key opens it")
        let liveKeys = try XCTUnwrap(try current.namespace("n", create: false)?.keys)
        XCTAssertEqual(liveKeys.subjects, ["mixed"])
        let key = try XCTUnwrap(liveKeys.entry(try XCTUnwrap(liveKeys.ref(of: "mixed")))?.key)
        XCTAssertThrowsError(try key.open(expiredSealed, dimension: 128, for: context))
        XCTAssertThrowsError(try EmbeddingStore.open(directory: copy, modelID: "m", options: StoreOptions(masterKey: newKey)))
    }

    func testAFlippedCiphertextByteIsReportedDamageNotAWrongTemplate() throws {
        var rng = TestRNG(state: 63)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        let target = randomUnitVector(rng: &rng), other = randomUnitVector(rng: &rng)
        try store.enroll(namespace: "n", subject: "target", vector: target)
        try store.enroll(namespace: "n", subject: "other", vector: other)
        let slab = dir + "/namespaces/n/slab.1"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: slab)))
        bytes[SlabFormat(dimension: 128).sealedOffset(0) + 4 + 100] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: slab))

        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(reopened.recoveryReports()["n"]?.lostTemplateSlots, [0])
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "target"), [])
        XCTAssertNil(try reopened.verify(namespace: "n", subject: "target", vector: target))
        XCTAssertEqual(try reopened.search(namespace: "n", vector: target, topK: 5).map(\.subject), ["other"])
        XCTAssertEqual(reopened.integrityCheck()["n"]?.damagedTemplateSlots, [0])
        XCTAssertEqual(try reopened.verify(namespace: "n", subject: "other", vector: other), 0)
    }

    func testOpenDecryptsEveryChunkAndReportsDamageInAnyOfThem() throws {
        // Three chunks of 4096 slots and a tail, so every decryption thread claims work.
        var rng = TestRNG(state: 64)
        let count = 3 * 4096 + 10
        let vectors = (0..<count).map { _ in randomUnitVector(rng: &rng) }
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        try store.enroll(namespace: "n", batch: vectors.enumerated().map { Enrollment(subject: "s\($0.offset / 3)", vector: $0.element) })
        // A later batch, so the altered slots are not in the final one (which open checks as a possibly torn tail).
        try store.enroll(namespace: "n", subject: "last", vector: randomUnitVector(rng: &rng))
        let slab = dir + "/namespaces/n/slab.1"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: slab)))
        for slot in [1, 9000] { bytes[SlabFormat(dimension: 128).sealedOffset(slot) + 4 + 100] ^= 0x01 }
        try Data(bytes).write(to: URL(fileURLWithPath: slab))

        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(reopened.recoveryReports()["n"]?.lostTemplateSlots, [1, 9000])
        XCTAssertEqual(reopened.integrityCheck()["n"]?.damagedTemplateSlots, [1, 9000])
        for slot in [0, 4095, 4096, 8191, 8192, 8999, 9001, count - 1] {
            let hit = try XCTUnwrap(try reopened.search(namespace: "n", vector: vectors[slot], topK: 1).first, "slot \(slot)")
            XCTAssertEqual(hit.subject, "s\(slot / 3)", "slot \(slot)")
            XCTAssertEqual(try reopened.verify(namespace: "n", subject: "s\(slot / 3)", vector: vectors[slot]) ?? 1, 0, accuracy: 1e-6)
        }
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "s3000").count, 2)
        XCTAssertEqual(try reopened.templates(namespace: "n", subject: "s0").count, 2)
    }

    func testAnAlteredFileAfterOpenFailsTheIntegrityCheck() throws {
        var rng = TestRNG(state: 64)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        try store.enroll(namespace: "n", subject: "a", vector: randomUnitVector(rng: &rng))
        XCTAssertTrue(store.integrityCheck()["n"]?.isClean == true)
        let slab = dir + "/namespaces/n/slab.1"
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: slab))
        try handle.seek(toOffset: UInt64(SlabFormat(dimension: 128).sealedOffset(0) + 20))
        try handle.write(contentsOf: Data([0xff, 0xff]))
        try handle.close()
        XCTAssertEqual(store.integrityCheck()["n"]?.damagedTemplateSlots, [0])
    }

    func testMissingOrWrongMasterKeyIsRefused() throws {
        XCTAssertThrowsError(try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: nil))) { error in
            XCTAssertEqual(error as? StoreError, .masterKeyRequired)
        }
        var rng = TestRNG(state: 65)
        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        try store.enroll(namespace: "n", subject: "a", vector: randomUnitVector(rng: &rng))
        let other = MasterKey.random()
        XCTAssertThrowsError(try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: other))) { error in
            XCTAssertEqual(error as? StoreError, .wrongMasterKey(file: dir + "/namespaces/n/keys", expected: other.id.description,
                                                                 found: testMasterKey.id.description))
        }
    }

    /// A namespace written before encryption at rest (plaintext slab, format 1) is encrypted on
    /// open: live templates kept, erased ones dropped, the plaintext files overwritten and unlinked.
    func testAPlaintextStoreIsEncryptedOnOpen() throws {
        var rng = TestRNG(state: 66)
        let ns = dir + "/namespaces/n"
        try FileManager.default.createDirectory(atPath: ns, withIntermediateDirectories: true)
        let kept = (0..<5).map { _ in randomUnitVector(rng: &rng) }, gone = randomUnitVector(rng: &rng)
        try writePlaintextGeneration(ns, templates: kept.enumerated().map { ("s\($0.offset)", $0.element) } + [("gone", gone)],
                                     erasedSlot: kept.count)
        let needles = Set((kept + [gone]).flatMap(windows(of:)))
        XCTAssertFalse(hits(needles, under: dir).isEmpty, "the plaintext store holds the vectors")

        let store = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(store.recoveryReports()["n"]?.migratedPlaintextTemplates, 5)
        for (i, v) in kept.enumerated() {
            XCTAssertEqual(try store.templates(namespace: "n", subject: "s\(i)").map(\.vector), [v])
            XCTAssertEqual(try store.templates(namespace: "n", subject: "s\(i)").map(\.vendorData), [Array("v\(i)".utf8)])
        }
        XCTAssertEqual(try store.templates(namespace: "n", subject: "gone"), [])
        XCTAssertEqual(hits(needles, under: dir), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: ns).sorted(), ["keys", "keys.journal", "log.2", "slab.2"])
        let reopened = try EmbeddingStore.open(directory: dir, modelID: "m", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(reopened.recoveryReports()["n"]?.migratedPlaintextTemplates, 0)
        XCTAssertTrue(reopened.integrityCheck()["n"]?.isClean == true)
        XCTAssertEqual(try reopened.verify(namespace: "n", subject: "s4", vector: kept[4]), 0)
    }

    /// Writes generation 1 the way format 1 did: plaintext vectors in the slab, one batch per
    /// template, and an erase record for `erasedSlot` (its bytes left in place).
    private func writePlaintextGeneration(_ ns: String, templates: [(String, [Float])], erasedSlot: Int) throws {
        let salt: UInt64 = 0x1234_5678_9abc_def1
        let format = SlabFormat(dimension: 128)
        var log = LogFormat.encodeHeader(.init(dimension: 128, generation: 1, salt: salt, modelID: "m"))
        var slab = Array("FMSTSLB1".utf8)
        slab.appendLE(UInt32(1))
        slab.appendLE(UInt32(128))
        slab.appendLE(UInt32(format.padded))
        slab.appendLE(UInt32(format.chunkSlots))
        slab.appendLE(UInt64(1))
        slab.appendLE(salt)
        slab.padTo(SlabFormat.headerSize - 8)
        slab.appendLE(XXHash64.hash(slab))
        slab.padTo(format.memorySize(forSlots: templates.count))
        var offsets: [Int] = []
        for (slot, (subject, vector)) in templates.enumerated() {
            let bytes = vector.withUnsafeBytes { Array($0) }
            slab.replaceSubrange(format.vectorOffset(slot)..<(format.vectorOffset(slot) + bytes.count), with: bytes)
            let record = LogFormat.TemplateRecord(slot: slot, subject: Array(subject.utf8), vendorData: Array("v\(slot)".utf8),
                                                  createdAtMillis: 1_000, vectorChecksum: XXHash64.hash(bytes, seed: salt ^ UInt64(slot)))
            offsets.append(log.count)
            LogFormat.append(.template(record), common: .init(seq: UInt64(slot), batchFirstSeq: UInt64(slot), commit: true),
                             offset: log.count, salt: salt, to: &log)
        }
        let seq = UInt64(templates.count)
        let units = LogFormat.units(forPayload: LogFormat.templateFixedBytes + templates[erasedSlot].0.utf8.count + "v\(erasedSlot)".utf8.count)
        LogFormat.append(.erase(entries: [.init(seq: UInt64(erasedSlot), offset: offsets[erasedSlot], slot: erasedSlot, units: units)],
                                slotsAllocated: templates.count),
                         common: .init(seq: seq, batchFirstSeq: seq, commit: true), offset: log.count, salt: salt, to: &log)
        XCTAssertTrue(FileManager.default.createFile(atPath: ns + "/log.1", contents: Data(log)))
        XCTAssertTrue(FileManager.default.createFile(atPath: ns + "/slab.1", contents: Data(slab)))
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/STORE", contents: Data(StoreHeader.encode(dimension: 128, modelID: "m"))))
    }
}
