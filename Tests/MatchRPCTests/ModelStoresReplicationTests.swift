import XCTest
@testable import MatchRPC

/// A --postgres server follows PostgreSQL once per model; Health and metrics report the follower
/// furthest behind, so one model's stalled follower is never hidden by another's.
final class ModelStoresReplicationTests: XCTestCase {
    func testTheWorstFollowerIsReported() {
        let current = ReplicationStatus(degraded: false, appliedPosition: 9, headPosition: 9, lagSeconds: 0.01)
        let behind = ReplicationStatus(degraded: false, appliedPosition: 5, headPosition: 9, lagSeconds: 0.5)
        let down = ReplicationStatus(degraded: true, appliedPosition: 9, headPosition: 9, lagSeconds: 0)
        let stores = { (dlib: ReplicationStatus?, reid: ReplicationStatus?) in
            ModelStores([.dlib: InMemoryStore(replication: dlib), .reidentification0095: InMemoryStore(replication: reid)])
        }
        XCTAssertEqual(stores(current, behind).replication, behind)
        XCTAssertEqual(stores(behind, current).replication, behind)
        XCTAssertEqual(stores(behind, down).replication, down, "a degraded follower first")
        XCTAssertNil(stores(nil, nil).replication, "local stores replicate nothing")
    }
}
