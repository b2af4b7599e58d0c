/// Bad arguments to `FaceEmbedder`.
public enum FaceEmbedderError: Error, Equatable, CustomStringConvertible {
    case wrongChipSize(width: Int, height: Int, expected: Int)
    case outputTooSmall(capacity: Int, needed: Int)

    public var description: String {
        switch self {
        case let .wrongChipSize(w, h, e): return "face chip is \(w)x\(h), the embedder needs \(e)x\(e)"
        case let .outputTooSmall(c, n): return "descriptor buffer holds \(c) floats, needs \(n)"
        }
    }
}
