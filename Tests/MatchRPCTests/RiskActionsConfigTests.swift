import Foundation
import XCTest
@testable import MatchRPC

/// `risk_actions` in an application's config entry, and the service applying them.
final class RiskActionsConfigTests: XCTestCase {
    private let digest = APIKeyDigest(key: "k").hex

    private func application(_ actions: String) throws -> Application {
        let json = #"{"applications": [{"id": "shop", "api_key_sha256": "\#(digest)", "risk_actions": \#(actions)}]}"#
        let applications = try ConfigLoader.parse(Data(json.utf8)).applications
        XCTAssertEqual(applications?.count, 1)
        return try XCTUnwrap(applications?.first)
    }

    func testParsesEachConfigurableRiskAndDefaultsToInform() throws {
        let app = try application(#"{"MULTIPLE_FACES_DETECTED": "review", "LOW_QUALITY": "decline", "FACE_TOO_SMALL": "inform"}"#)
        XCTAssertEqual(app.riskActions, try RiskActions([.multipleFacesDetected: .review, .lowQuality: .decline, .faceTooSmall: .inform]))
        XCTAssertEqual(app.riskActions.action(for: .lowQuality), .decline)
        let plain = try XCTUnwrap(try ConfigLoader.parse(Data(#"{"applications": [{"id": "a", "api_key_sha256": "\#(digest)"}]}"#.utf8)).applications?.first)
        XCTAssertEqual(plain.riskActions, .default)
        for risk in RiskActions.configurable { XCTAssertEqual(plain.riskActions.action(for: risk), .inform) }
    }

    func testRejectsUnknownOrFixedRisksAndUnknownActions() {
        let cases: [(String, String)] = [
            (#"{"NO_REFERENCE_IMAGE": "inform"}"#, "risk_actions: NO_REFERENCE_IMAGE is not configurable"),
            (#"{"LOW_FACE_MATCH_SIMILARITY": "decline"}"#, "risk_actions: LOW_FACE_MATCH_SIMILARITY is not configurable"),
            (#"{"SUNGLASSES": "review"}"#, "risk_actions: SUNGLASSES is not configurable"),
            (#"{"LOW_QUALITY": "reject"}"#, "risk_actions: LOW_QUALITY must be decline, review or inform, got reject"),
        ]
        for (actions, prefix) in cases {
            XCTAssertThrowsError(try application(actions), actions) { error in
                guard case let .invalidApplication(index, reason) = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(index, 0)
                XCTAssertTrue(reason.hasPrefix(prefix), reason)
            }
        }
        XCTAssertThrowsError(try application(#"{"LOW_QUALITY": 1}"#)) { error in
            guard case .malformed = error as? ConfigError else { return XCTFail("\(error)") }
        }
    }

    func testServiceAppliesTheCallingApplicationsActions() throws {
        let service = MatchService(store: InMemoryStore())
        let analyzer = FakeAnalyzer(gate: nil)
        let strict = try application(#"{"MULTIPLE_FACES_DETECTED": "review", "LOW_QUALITY": "decline", "FACE_TOO_SMALL": "review"}"#)
        let lenient = Application(id: "lenient", keyDigest: APIKeyDigest(key: "l"))
        func compare(_ source: String, _ target: String, _ app: Application) throws -> MatchReport {
            try service.compare(source: Array(source.utf8), target: Array(target.utf8), for: app, analyzers: .uniform(analyzer))
        }
        XCTAssertEqual(try compare("faces:2:4", "face:4:0.1", lenient).status, .approved)
        XCTAssertEqual(try compare("faces:2:4", "face:4:0.1", strict).status, .inReview)
        XCTAssertEqual(try compare("face:4", "blurry:4:0.1", lenient).status, .approved)
        XCTAssertEqual(try compare("face:4", "blurry:4:0.1", strict).status, .declined)
        XCTAssertEqual(try compare("small:4", "face:4:0.1", strict).status, .inReview)
        XCTAssertEqual(try compare("small:4", "face:4:0.1", strict).warnings.map(\.risk), [.faceTooSmall])

        _ = try service.enroll(subject: "s", image: Array("face:4".utf8), vendorData: [], mode: .append, for: strict, analyzers: .uniform(analyzer))
        let verified = try service.verify(subject: "s", image: Array("blurry:4:0.1".utf8), for: strict, analyzers: .uniform(analyzer))
        XCTAssertEqual(verified.status, .declined)
        XCTAssertEqual(verified.warnings.map(\.risk), [.lowQuality])
        let enrolled = try service.enroll(subject: "t", image: Array("blurry:5".utf8), vendorData: [], mode: .append, for: strict, analyzers: .uniform(analyzer))
        XCTAssertEqual(enrolled.warnings.map(\.risk), [.lowQuality])
    }
}
