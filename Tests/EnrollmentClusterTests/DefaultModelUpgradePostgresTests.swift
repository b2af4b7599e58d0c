import Foundation
import TemplateCrypto
import XCTest
@testable import EnrollmentCluster
@testable import MatchRPC

/// The default-model upgrade rule (`DefaultModelUpgrade`) over a cluster node: templates enrolled
/// through one node are counted through `EnrollmentStoring` by a node started afterwards, whose
/// cache was rebuilt from PostgreSQL.
final class DefaultModelUpgradePostgresTests: PostgresTestCase {
    func testAnApplicationWithoutModelOverTheClustersDlibTemplatesIsRefused() throws {
        let key = MasterKey.random()
        let a = try startNode(key)
        _ = try a.enroll(namespace: "gate", subject: "alice", vector: vector(1), vendorData: [], mode: .append)
        _ = try a.enroll(namespace: "gate", subject: "bob", vector: vector(2), vendorData: [], mode: .append)
        let stores = ModelStores([.dlib: try startNode(key)])

        let implicit = Application(id: "gate", keyDigest: APIKeyDigest(key: "k"))
        XCTAssertThrowsError(try DefaultModelUpgrade.check([implicit], stores: stores)) { error in
            guard case .invalidApplication(0, let reason) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains(#"application "gate" names no model"#), reason)
            XCTAssertTrue(reason.contains("holds 2 \(FaceModelID.dlib.rawValue) template(s)"), reason)
        }
        let named = Application(id: "gate", keyDigest: APIKeyDigest(key: "k"), model: .dlib)
        XCTAssertNoThrow(try DefaultModelUpgrade.check([named], stores: stores))
        let fresh = Application(id: "turnstile", keyDigest: APIKeyDigest(key: "t"))
        XCTAssertNoThrow(try DefaultModelUpgrade.check([fresh], stores: stores), "a new application runs the default")
    }
}
