/// The loaded face engines, one per model, from which each worker thread makes its own
/// analyzers (`ModelAnalyzers`). Every model a configured application may name must be here.
public struct FaceEngines: Sendable {
    let factories: [FaceModelID: any FaceAnalyzerFactory]

    public init(_ factories: [FaceModelID: any FaceAnalyzerFactory]) {
        self.factories = factories
    }

    public var models: [FaceModelID] { FaceModelID.allCases.filter { factories[$0] != nil } }

    /// One worker's analyzers, made once when the worker starts.
    func makeAnalyzers() throws -> ModelAnalyzers {
        ModelAnalyzers(analyzers: try factories.mapValues { try $0.makeAnalyzer() })
    }
}

/// One worker thread's analyzers, one per loaded model. Not shared between threads.
public struct ModelAnalyzers {
    let analyzers: [FaceModelID: any FaceAnalyzing]

    public init(analyzers: [FaceModelID: any FaceAnalyzing]) {
        self.analyzers = analyzers
    }

    /// The model's analyzer; INTERNAL when this server did not load it (a configuration the
    /// start-up checks should have refused).
    public func analyzer(for model: FaceModelID) throws(ServiceError) -> any FaceAnalyzing {
        guard let analyzer = analyzers[model] else { throw .internalError("model \(model.rawValue) is not loaded") }
        return analyzer
    }
}
