import EmbeddingStore
import Foundation
import XCTest
@testable import MatchRPC

/// The master key of every store these tests open (fixed, so reopening finds the same key).
let testMasterKey = MasterKey(bytes: Array(repeating: 0x5a, count: 32))!

/// A test case whose service runs over the real memory-mapped store in a fresh temporary
/// directory (removed afterwards), with the fake engine.
class RealStoreTestCase: XCTestCase {
    private(set) var directory = ""
    let analyzer = FakeAnalyzer(gate: nil)

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func service() throws -> MatchService {
        MatchService(store: EmbeddingStoreAdapter(store: try EmbeddingStore.open(directory: directory, modelID: "fake-model-1", options: StoreOptions(masterKey: testMasterKey))))
    }
}
