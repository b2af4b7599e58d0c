import XCTest
@testable import MatchRPC

final class MatchServiceTests: XCTestCase {
    private let store = InMemoryStore()
    private lazy var service = MatchService(store: store)
    private let analyzer = FakeAnalyzer(gate: nil)
    private let shop = Application(id: "shop", keyDigest: APIKeyDigest(key: "s"))
    private let bank = Application(id: "bank", keyDigest: APIKeyDigest(key: "b"))

    private func image(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testCompareSameAndDifferentPerson() throws {
        let same = try service.compare(source: image("face:3"), target: image("face:3:0.2"), for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(same.status, .approved)
        XCTAssertEqual(same.distance ?? -1, 0.2, accuracy: 1e-6)
        let different = try service.compare(source: image("face:3"), target: image("face:9"), for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(different.status, .declined)
        XCTAssertTrue(different.warnings.contains { $0.risk == .lowFaceMatchSimilarity })
    }

    func testNonImageIsInvalidArgumentNamingTheField() {
        XCTAssertThrowsError(try service.compare(source: image("face:1"), target: image("GIF89a"), for: shop, analyzers: .uniform(analyzer))) {
            guard case .invalidArgument(let message) = $0 as? ServiceError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.hasPrefix("target_image"), message)
        }
        XCTAssertThrowsError(try service.compare(source: [], target: image("face:1"), for: shop, analyzers: .uniform(analyzer))) {
            XCTAssertEqual($0 as? ServiceError, .invalidArgument("source_image is empty"))
        }
    }

    func testUnexpectedEngineErrorIsInternal() {
        XCTAssertThrowsError(try service.verify(subject: "a", image: image("crash"), for: shop, analyzers: .uniform(analyzer))) {
            guard case .internalError = $0 as? ServiceError else { return XCTFail("\($0)") }
        }
    }

    func testEnrollVerifyIdentifyDeleteLifecycle() throws {
        let enrolled = try service.enroll(subject: "alice", image: image("face:5"), vendorData: [], mode: .append,
                                          for: shop, analyzers: .uniform(analyzer))
        XCTAssertTrue(enrolled.enrolled)
        XCTAssertEqual(enrolled.enrollmentCount, 1)
        XCTAssertEqual(enrolled.face?.box.width, 200)
        _ = try service.enroll(subject: "bob", image: image("face:40"), vendorData: [], mode: .append, for: shop, analyzers: .uniform(analyzer))

        let verified = try service.verify(subject: "alice", image: image("face:5:0.1"), for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(verified.status, .approved)
        let impostor = try service.verify(subject: "alice", image: image("face:40"), for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(impostor.status, .declined)

        let identified = try service.identify(image: image("face:5:0.1"), topK: 5, minScore: 50, for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(identified.candidates.map(\.subject), ["alice"], "bob is far below min_score")
        XCTAssertGreaterThan(identified.candidates[0].score, 90)

        try service.delete(subject: "alice", for: shop)
        let after = try service.verify(subject: "alice", image: image("face:5"), for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(after.status, .declined)
        XCTAssertEqual(after.warnings.first?.risk, .noReferenceImage)
        XCTAssertThrowsError(try service.delete(subject: "alice", for: shop)) {
            guard case .notFound = $0 as? ServiceError else { return XCTFail("\($0)") }
        }
    }

    func testReplaceModeKeepsOnlyTheNewDescriptor() throws {
        _ = try service.enroll(subject: "a", image: image("face:5"), vendorData: [], mode: .append, for: shop, analyzers: .uniform(analyzer))
        let appended = try service.enroll(subject: "a", image: image("face:5:0.1"), vendorData: [], mode: .append, for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(appended.enrollmentCount, 2)
        let replaced = try service.enroll(subject: "a", image: image("face:5:0.1"), vendorData: [], mode: .replace, for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(replaced.enrollmentCount, 1)
    }

    func testEnrollWithoutFaceIsAResultNotAnError() throws {
        let outcome = try service.enroll(subject: "a", image: image("noface"), vendorData: [], mode: .append, for: shop, analyzers: .uniform(analyzer))
        XCTAssertFalse(outcome.enrolled)
        XCTAssertEqual(outcome.warnings.map(\.risk), [.noFaceDetected])
        XCTAssertEqual(try store.enrollmentCount(namespace: "shop", subject: "a"), 0)
    }

    func testEnrollWarnsAboutSeveralOrSmallFaces() throws {
        let several = try service.enroll(subject: "a", image: image("faces:3:7"), vendorData: [], mode: .append, for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(several.facesDetected, 3)
        XCTAssertEqual(several.warnings.map(\.risk), [.multipleFacesDetected])
        let small = try service.enroll(subject: "b", image: image("small:7"), vendorData: [], mode: .append, for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(small.warnings.map(\.risk), [.faceTooSmall])
    }

    func testVerifyWithoutProbeFaceStillSaysWhetherAReferenceExists() throws {
        _ = try service.enroll(subject: "a", image: image("face:5"), vendorData: [], mode: .append, for: shop, analyzers: .uniform(analyzer))
        let withReference = try service.verify(subject: "a", image: image("noface"), for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(withReference.warnings.map(\.risk), [.noFaceDetected])
        XCTAssertNil(withReference.distance)
        let without = try service.verify(subject: "zed", image: image("noface"), for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(Set(without.warnings.map(\.risk)), [.noFaceDetected, .noReferenceImage])
    }

    func testApplicationsCannotSeeEachOthersEnrolments() throws {
        _ = try service.enroll(subject: "alice", image: image("face:5"), vendorData: [], mode: .append, for: shop, analyzers: .uniform(analyzer))
        let verify = try service.verify(subject: "alice", image: image("face:5"), for: bank, analyzers: .uniform(analyzer))
        XCTAssertEqual(verify.warnings.first?.risk, .noReferenceImage)
        let identify = try service.identify(image: image("face:5"), topK: 50, minScore: 0, for: bank, analyzers: .uniform(analyzer))
        XCTAssertTrue(identify.candidates.isEmpty)
        XCTAssertThrowsError(try service.delete(subject: "alice", for: bank))
        XCTAssertEqual(try store.enrollmentCount(namespace: "shop", subject: "alice"), 1, "bank's delete did not touch shop")
    }

    func testIdentifyParameterLimits() throws {
        XCTAssertThrowsError(try service.identify(image: image("face:1"), topK: 51, minScore: 0, for: shop, analyzers: .uniform(analyzer)))
        XCTAssertThrowsError(try service.identify(image: image("face:1"), topK: -1, minScore: 0, for: shop, analyzers: .uniform(analyzer)))
        XCTAssertThrowsError(try service.identify(image: image("face:1"), topK: 5, minScore: .nan, for: shop, analyzers: .uniform(analyzer)))
        XCTAssertThrowsError(try service.identify(image: image("face:1"), topK: 5, minScore: 101, for: shop, analyzers: .uniform(analyzer)))
        for axis in 0..<60 {
            _ = try service.enroll(subject: "s\(axis)", image: image("face:1:\(Double(axis) / 100)"), vendorData: [],
                                   mode: .append, for: shop, analyzers: .uniform(analyzer))
        }
        let all = try service.identify(image: image("face:1"), topK: 0, minScore: 0, for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(all.candidates.count, MatchService.defaultTopK)
        XCTAssertEqual(all.candidates.first?.subject, "s0")
        let fifty = try service.identify(image: image("face:1"), topK: 50, minScore: 0, for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(fifty.candidates.count, 50)
    }

    func testSubjectIDIsChecked() {
        XCTAssertThrowsError(try MatchService.checkSubject(""))
        XCTAssertThrowsError(try MatchService.checkSubject(String(repeating: "x", count: 129)))
        XCTAssertThrowsError(try MatchService.checkSubject("a\nb"))
        XCTAssertNoThrow(try MatchService.checkSubject("customer-42/é"))
    }
}
