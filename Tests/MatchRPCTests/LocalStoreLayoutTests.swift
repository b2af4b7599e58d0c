import EmbeddingStore
import Foundation
import XCTest
@testable import MatchRPC

/// One store per model in the data directory; a data directory made before there were two
/// models keeps working as dlib's store.
final class LocalStoreLayoutTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testAnExistingDataDirectoryKeepsWorkingAsTheDlibStore() throws {
        // What `serve` made before: the dlib store in the data directory itself.
        let vector = (0..<128).map { Float($0 == 3 ? 1 : 0) }
        do {
            let before = try EmbeddingStore.open(directory: directory, dimension: 128, modelID: FaceModelID.dlib.rawValue,
                                                options: StoreOptions(masterKey: testMasterKey))
            try before.enroll(namespace: "shop", subject: "alice", vector: vector, vendorData: [7], mode: .append)
        }
        let stores = try LocalStoreLayout.open(dataDirectory: directory, options: StoreOptions(masterKey: testMasterKey))
        let dlib = try XCTUnwrap(stores[.dlib])
        XCTAssertEqual(dlib.directory, directory)
        XCTAssertEqual(try dlib.verify(namespace: "shop", subject: "alice", vector: vector), 0)
        XCTAssertEqual(try dlib.templates(namespace: "shop", subject: "alice").first?.vendorData, [7])

        let reid = try XCTUnwrap(stores[.reidentification0095])
        XCTAssertEqual(reid.directory, directory + "/models/face-reidentification-retail-0095")
        XCTAssertEqual(reid.dimension, 256)
        XCTAssertEqual(reid.modelID, FaceModelID.reidentification0095.rawValue)
        XCTAssertEqual(reid.stats().subjects, 0)
        XCTAssertEqual(dlib.namespaces(), ["shop"], "the model subdirectory is not taken for a namespace")
    }

    func testEachModelsTemplatesStayInItsOwnStore() throws {
        let unit = (0..<256).map { Float($0 == 0 ? 1 : 0) }
        do {
            let stores = try LocalStoreLayout.open(dataDirectory: directory, options: StoreOptions(masterKey: testMasterKey))
            try stores[.reidentification0095]!.enroll(namespace: "shop", subject: "bob", vector: unit, vendorData: [], mode: .append)
            XCTAssertThrowsError(try stores[.dlib]!.enroll(namespace: "shop", subject: "bob", vector: unit, vendorData: [],
                                                           mode: .append), "a 256-d template never enters dlib's store")
        }
        let reopened = try LocalStoreLayout.open(dataDirectory: directory, options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(try reopened[.reidentification0095]!.templates(namespace: "shop", subject: "bob").count, 1)
        XCTAssertEqual(try reopened[.dlib]!.templates(namespace: "shop", subject: "bob").count, 0)
        // A store is never opened as another model's.
        XCTAssertThrowsError(try EmbeddingStore.open(directory: directory + "/models/face-reidentification-retail-0095",
                                                     dimension: 128, modelID: FaceModelID.dlib.rawValue,
                                                options: StoreOptions(masterKey: testMasterKey)))
    }
}
