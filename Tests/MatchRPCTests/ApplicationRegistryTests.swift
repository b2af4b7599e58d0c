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

    func testNamespaceIsTheApplicationID() {
        XCTAssertEqual(shop.namespace, "shop")
        XCTAssertNotEqual(shop.namespace, bank.namespace)
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
