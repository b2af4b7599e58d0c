import EmbeddingStore
import Foundation
import XCTest
@testable import MatchRPC

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
        MatchService(store: EmbeddingStoreAdapter(store: try EmbeddingStore.open(directory: directory, modelID: "fake-model-1")))
    }
}
