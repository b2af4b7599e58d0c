import EmbeddingStore
import Foundation
import XCTest
@testable import MatchRPC

/// The service over the real memory-mapped store (fake engine): the same lifecycle and isolation
/// rules as with the in-memory store, plus the store's own limits mapped to status codes.
final class EmbeddingStoreAdapterTests: RealStoreTestCase {
    private let shop = Application(id: "shop", keyDigest: APIKeyDigest(key: "s"))
    private let bank = Application(id: "bank", keyDigest: APIKeyDigest(key: "b"))

    func testLifecycleAndIsolationOnTheRealStore() throws {
        let service = try service()
        let enrolled = try service.enroll(subject: "alice", image: fakeImage("face:5"), vendorData: Array("v".utf8),
                                          mode: .append, for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(enrolled.enrollmentCount, 1)
        let again = try service.enroll(subject: "alice", image: fakeImage("face:5:0.1"), vendorData: [], mode: .append,
                                       for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(again.enrollmentCount, 2)
        XCTAssertEqual(try service.verify(subject: "alice", image: fakeImage("face:5"), for: shop, analyzers: .uniform(analyzer)).status, .approved)
        XCTAssertEqual(try service.verify(subject: "alice", image: fakeImage("face:5"), for: bank, analyzers: .uniform(analyzer)).warnings.first?.risk,
                       .noReferenceImage)
        let found = try service.identify(image: fakeImage("face:5"), topK: 5, minScore: 50, for: shop, analyzers: .uniform(analyzer))
        XCTAssertEqual(found.candidates.map(\.subject), ["alice"])
        XCTAssertEqual(found.candidates.first?.distance ?? -1, 0, accuracy: 1e-6)
        XCTAssertTrue(try service.identify(image: fakeImage("face:5"), topK: 5, minScore: 0, for: bank, analyzers: .uniform(analyzer)).candidates.isEmpty)
        XCTAssertEqual(try service.store.stats(namespace: "shop"), EnrollmentStats(subjects: 1, vectors: 2,
                                                                                   bytes: try service.store.stats(namespace: "shop").bytes))
        XCTAssertThrowsError(try service.delete(subject: "alice", for: bank))
        try service.delete(subject: "alice", for: shop)
        XCTAssertEqual(try service.verify(subject: "alice", image: fakeImage("face:5"), for: shop, analyzers: .uniform(analyzer)).warnings.first?.risk,
                       .noReferenceImage)
    }

    func testEnrolmentsSurviveReopening() throws {
        _ = try service().enroll(subject: "bob", image: fakeImage("face:9"), vendorData: [], mode: .append, for: shop, analyzers: .uniform(analyzer))
        let reopened = try service()
        XCTAssertEqual(try reopened.store.enrollmentCount(namespace: "shop", subject: "bob"), 1)
    }

    func testOversizeVendorDataIsInvalidArgument() throws {
        let service = try service()
        XCTAssertThrowsError(try service.enroll(subject: "a", image: fakeImage("face:1"), vendorData: [UInt8](repeating: 65, count: 300),
                                                mode: .append, for: shop, analyzers: .uniform(analyzer))) { error in
            guard case .invalidArgument(let message) = error as? ServiceError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("vendor_data"), message)
        }
    }
}
