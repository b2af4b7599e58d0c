@testable import MatchRPC

/// The fake engine and the in-memory stores are model-agnostic: tests that are not about models
/// run them as every model (`uniform`) or as the default model's only store (`single`).
extension ModelAnalyzers {
    static func uniform(_ analyzer: any FaceAnalyzing) -> ModelAnalyzers {
        ModelAnalyzers(analyzers: Dictionary(uniqueKeysWithValues: FaceModelID.allCases.map { ($0, analyzer) }))
    }
}

extension FaceEngines {
    static func uniform(_ factory: any FaceAnalyzerFactory) -> FaceEngines {
        FaceEngines(Dictionary(uniqueKeysWithValues: FaceModelID.allCases.map { ($0, factory) }))
    }
}

extension ModelStores {
    /// The store of the default model and of dlib (the model `TestServer`'s applications name).
    static func single(_ store: any EnrollmentStoring) -> ModelStores {
        var stores: [FaceModelID: any EnrollmentStoring] = [.dlib: store]
        stores[.serviceDefault] = store
        return ModelStores(stores)
    }
}

extension MatchService {
    init(store: any EnrollmentStoring) {
        self.init(stores: .single(store))
    }

    /// The default model's store (the only one of a `single` service).
    var store: any EnrollmentStoring { stores.stores[.serviceDefault]! }
}
