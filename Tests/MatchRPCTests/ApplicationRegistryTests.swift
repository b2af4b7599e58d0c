import XCTest
@testable import MatchRPC

final class ApplicationRegistryTests: XCTestCase {
    private let shop = Application(id: "shop", keyDigest: APIKeyDigest(key: "shop-key"))
    private let bank = Application(id: "bank", keyDigest: APIKeyDigest(key: "bank-key"),
                                   thresholds: Thresholds(review: 90, decline: 60))

    func testAuthenticatesEachApplicationByItsOwnKey() {
        let registry = ApplicationRegistry([shop, bank])
        XCTAssertEqual(registry.authenticate(apiKey: "shop-key")?.id, "shop")
        XCTAssertEqual(registry.authenticate(apiKey: "bank-key")?.thresholds, Thresholds(review: 90, decline: 60))
        XCTAssertNil(registry.authenticate(apiKey: "wrong"))
        XCTAssertNil(registry.authenticate(apiKey: ""))
    }

    /// Enrolments belong to the application id: a rotated key still finds them, another
    /// application never does.
    func testEnrolmentsFollowTheApplicationIDNotItsKey() throws {
        let service = MatchService(store: InMemoryStore())
        let analyzer = FakeAnalyzer(gate: nil)
        _ = try service.enroll(subject: "ann", image: fakeImage("face:4"), vendorData: [], mode: .append, for: shop,
                               analyzers: .uniform(analyzer))
        let rotated = Application(id: "shop", keyDigest: APIKeyDigest(key: "new-shop-key"))
        XCTAssertEqual(try service.verify(subject: "ann", image: fakeImage("face:4"), for: rotated, analyzers: .uniform(analyzer)).status,
                       .approved)
        XCTAssertEqual(try service.verify(subject: "ann", image: fakeImage("face:4"), for: bank, analyzers: .uniform(analyzer))
            .warnings.first?.risk, .noReferenceImage)
    }

    func testReplaceSwapsTheWholeSet() {
        let registry = ApplicationRegistry([shop])
        registry.replace(with: [bank])
        XCTAssertNil(registry.authenticate(apiKey: "shop-key"), "a removed application loses access")
        XCTAssertEqual(registry.authenticate(apiKey: "bank-key")?.id, "bank")
    }

    func testIDAlphabet() {
        XCTAssertTrue(Application.isValidID("shop-1.eu_west"))
        XCTAssertFalse(Application.isValidID(""))
        XCTAssertFalse(Application.isValidID("a/b"))
        XCTAssertFalse(Application.isValidID(String(repeating: "x", count: 65)))
    }
}
