import EmbeddingStore
import Foundation
import MatchRPC
@testable import EnrollmentCluster

/// The master key of every store these tests open (fixed, so reopening finds the same key).
let testMasterKey = MasterKey(bytes: Array(repeating: 0x5a, count: 32))!

/// A fresh directory under the system temp dir; the caller removes it.
func makeTempDirectory() -> String {
    let path = NSTemporaryDirectory() + "fm-cluster-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A deterministic vector per seed (no face model needed), of dlib's 128 values unless told.
func vector(_ seed: Int, dimension: Int = 128) -> [Float] {
    (0..<dimension).map { Float(sin(Double(seed * 131 + $0))) }
}

func template(_ seed: Int, vendor: [UInt8] = []) -> StoredTemplate {
    StoredTemplate(vector: vector(seed), vendorData: vendor)
}

func openCache(_ directory: String, maxTemplates: Int = 3) throws -> EmbeddingStore {
    try EmbeddingStore.open(directory: directory, dimension: 128, modelID: FaceModelID.dlib.rawValue,
                            options: StoreOptions(masterKey: testMasterKey, maxTemplatesPerSubject: maxTemplates))
}

func cached(_ store: EmbeddingStore, _ subject: String, namespace: String = "app") throws -> [StoredTemplate] {
    try store.templates(namespace: namespace, subject: subject).map { StoredTemplate(vector: $0.vector, vendorData: $0.vendorData) }
}
