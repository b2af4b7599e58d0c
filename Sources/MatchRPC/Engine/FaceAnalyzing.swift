import FaceNet

/// One worker's face engine: decode, detect, align, embed. Not shared between threads: each
/// worker thread makes its own with `FaceAnalyzerFactory.makeAnalyzer()` (the real pipeline keeps
/// per-thread scratch buffers).
public protocol FaceAnalyzing {
    /// Throws `AnalysisError.invalidImage` for bytes that are not a usable image, and
    /// `AnalysisError.stopped` when `shouldStop` (asked between stages) answered true.
    func analyze(imageBytes: [UInt8], shouldStop: @escaping @Sendable () -> Bool) throws -> FaceAnalysis
}

/// Shared, immutable engine state (the loaded models) from which workers make their analyzers.
public protocol FaceAnalyzerFactory: Sendable {
    /// Identifies the models; reported in every report and in Health.
    var modelID: String { get }
    func makeAnalyzer() throws -> any FaceAnalyzing
}

/// What an engine may throw; anything else is treated as an internal error.
public enum AnalysisError: Error, Equatable, CustomStringConvertible {
    /// Not an image, an unsupported or corrupt one, or too large (the message says which).
    case invalidImage(String)
    /// The caller asked to stop (its deadline passed) before the analysis finished.
    case stopped

    public var description: String {
        switch self {
        case .invalidImage(let reason): reason
        case .stopped: "analysis stopped between stages"
        }
    }
}

extension FaceAnalyzing {
    /// The whole analysis, with nothing to stop it (tools and tests).
    public func analyze(imageBytes: [UInt8]) throws -> FaceAnalysis {
        try analyze(imageBytes: imageBytes, shouldStop: { false })
    }
}
