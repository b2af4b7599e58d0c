import XCTest
@testable import TemplateCrypto

final class KeyWrapAndSealTests: XCTestCase {
    private let alice = SubjectContext(namespace: "door", subject: "alice")
    private let vector: [Float] = (0..<128).map { Float($0) / 128 - 0.5 }

    func testWrapRoundTripsAndHasTheDocumentedLayout() throws {
        let master = MasterKey.random()
        let dataKey = DataKey.random()
        let wrapped = master.wrap(dataKey, for: alice)
        XCTAssertEqual(wrapped.count, WrappedDataKey.byteCount)
        XCTAssertEqual(wrapped.count, 77)
        XCTAssertEqual(wrapped[0], 1)
        XCTAssertEqual(try WrappedDataKey.masterKeyID(of: wrapped), master.id)
        let sealed = dataKey.seal(vector, for: TemplateContext(subject: alice, modelID: "m"))
        let unwrapped = try master.unwrap(wrapped, for: alice)
        XCTAssertEqual(try unwrapped.open(sealed, dimension: 128, for: TemplateContext(subject: alice, modelID: "m")), vector)
    }

    func testWrappingTwiceUsesFreshNonces() {
        let master = MasterKey.random()
        let key = DataKey.random()
        XCTAssertNotEqual(master.wrap(key, for: alice), master.wrap(key, for: alice))
    }

    func testUnwrapUnderAnotherMasterKeyNamesBothIDs() {
        let master = MasterKey.random()
        let other = MasterKey.random()
        let wrapped = master.wrap(DataKey.random(), for: alice)
        XCTAssertThrowsError(try other.unwrap(wrapped, for: alice)) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .wrongMasterKey(expected: other.id, found: master.id))
        }
    }

    func testWrappedKeyMovedToAnotherSubjectOrNamespaceFails() {
        let master = MasterKey.random()
        let wrapped = master.wrap(DataKey.random(), for: alice)
        for context in [SubjectContext(namespace: "door", subject: "bob"), SubjectContext(namespace: "gate", subject: "alice"),
                        SubjectContext(namespace: "dooralice", subject: "")] {
            XCTAssertThrowsError(try master.unwrap(wrapped, for: context)) { error in
                guard case .authenticationFailed = error as? TemplateCryptoError else { return XCTFail("\(error)") }
            }
        }
    }

    func testEveryFlippedByteOfAWrappedKeyIsDetected() {
        let master = MasterKey.random()
        let wrapped = master.wrap(DataKey.random(), for: alice)
        for i in wrapped.indices {
            var bad = wrapped
            bad[i] ^= 0x01
            XCTAssertThrowsError(try master.unwrap(bad, for: alice), "byte \(i)")
        }
        XCTAssertThrowsError(try master.unwrap(Array(wrapped.dropLast()), for: alice)) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .malformed(what: "wrapped data key", byteCount: 76))
        }
        var future = wrapped
        future[0] = 2
        XCTAssertThrowsError(try master.unwrap(future, for: alice)) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .unsupportedVersion(what: "wrapped data key", version: 2))
        }
    }

    func testRewrapMovesAKeyToTheNewMasterOnly() throws {
        let old = MasterKey.random()
        let new = MasterKey.random()
        let key = DataKey.random()
        let context = TemplateContext(subject: alice, modelID: "m")
        let sealed = key.seal(vector, for: context)
        let rewrapped = try old.rewrap(old.wrap(key, for: alice), for: alice, under: new)
        XCTAssertEqual(try WrappedDataKey.masterKeyID(of: rewrapped), new.id)
        XCTAssertEqual(try new.unwrap(rewrapped, for: alice).open(sealed, dimension: 128, for: context), vector)
        XCTAssertThrowsError(try old.unwrap(rewrapped, for: alice))
    }

    func testSealedTemplateHasNoPlaintextAndFreshNonces() {
        let key = DataKey.random()
        let context = TemplateContext(subject: alice, modelID: "m")
        let a = key.seal(vector, for: context)
        XCTAssertEqual(a.count, SealedTemplate.byteCount(dimension: 128))
        XCTAssertEqual(a[0], 1)
        XCTAssertNotEqual(a, key.seal(vector, for: context))
        let plain = vector.withUnsafeBytes { Array($0) }
        for start in stride(from: 0, to: plain.count - 16, by: 4) {
            XCTAssertNil(a.firstRange(of: plain[start..<start + 16]), "plaintext window at \(start)")
        }
    }

    func testTamperedTemplateWrongKeyAndWrongContextFail() {
        let key = DataKey.random()
        let context = TemplateContext(subject: alice, modelID: "m")
        let sealed = key.seal(vector, for: context)
        for i in [0, 1, 12, 13, 200, sealed.count - 1] {
            var bad = sealed
            bad[i] ^= 0x80
            XCTAssertThrowsError(try key.open(bad, dimension: 128, for: context), "byte \(i)")
        }
        XCTAssertThrowsError(try DataKey.random().open(sealed, dimension: 128, for: context)) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .authenticationFailed(what: "template of door/alice"))
        }
        for other in [TemplateContext(namespace: "door", subject: "bob", modelID: "m"),
                      TemplateContext(namespace: "door", subject: "alice", modelID: "m2")] {
            XCTAssertThrowsError(try key.open(sealed, dimension: 128, for: other))
        }
        XCTAssertThrowsError(try key.open(sealed, dimension: 127, for: context)) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .malformed(what: "sealed template", byteCount: sealed.count))
        }
    }
}

final class WrappedKeyPageTests: XCTestCase {
    func testPageRoundTripsEntriesAndEmptySlots() throws {
        let master = MasterKey.random()
        let a = DataKey.random(), b = DataKey.random()
        let sealed = master.wrapPage([.init(subject: "alice", key: a), nil, .init(subject: String(repeating: "x", count: 128), key: b)],
                                     namespace: "door", page: 7)
        XCTAssertEqual(sealed.count, WrappedKeyPage.byteCount(capacity: 3))
        let entries = try sealed.withUnsafeBytes { try master.unwrapPage($0, namespace: "door", page: 7) }
        XCTAssertEqual(entries.map { $0?.subject }, ["alice", nil, String(repeating: "x", count: 128)])
        let context = TemplateContext(namespace: "door", subject: "alice", modelID: "m")
        let vector: [Float] = [1, 2, 3]
        XCTAssertEqual(try entries[0]!.key.open(a.seal(vector, for: context), dimension: 3, for: context), vector)
    }

    func testPageMovedToAnotherPositionNamespaceOrMasterKeyFails() throws {
        let master = MasterKey.random()
        let sealed = master.wrapPage([.init(subject: "alice", key: .random())], namespace: "door", page: 1)
        try sealed.withUnsafeBytes { raw in
            XCTAssertThrowsError(try master.unwrapPage(raw, namespace: "door", page: 2))
            XCTAssertThrowsError(try master.unwrapPage(raw, namespace: "gate", page: 1))
            let other = MasterKey.random()
            XCTAssertThrowsError(try other.unwrapPage(raw, namespace: "door", page: 1)) { error in
                XCTAssertEqual(error as? TemplateCryptoError, .wrongMasterKey(expected: other.id, found: master.id))
            }
        }
        for i in [0, 20, 40, sealed.count - 1] {
            var bad = sealed
            bad[i] ^= 1
            try bad.withUnsafeBytes { raw in XCTAssertThrowsError(try master.unwrapPage(raw, namespace: "door", page: 1), "byte \(i)") }
        }
    }
}
