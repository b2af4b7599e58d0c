/// Failures of the inference engine. They carry the numbers that explain them.
public enum NetError: Error, Equatable, CustomStringConvertible {
    /// A oneDNN call returned a status other than success (`dnnl_status_t` raw value).
    case dnnl(call: String, status: Int32)
    /// A layer was described with impossible numbers (zero channels, kernel larger than input...).
    case invalidLayer(String)
    /// Weights or inputs whose element count does not match the layer's shape.
    case sizeMismatch(what: String, expected: Int, found: Int)
    /// The arena could not be allocated.
    case allocationFailed(bytes: Int)

    public var description: String {
        switch self {
        case let .dnnl(call, status): return "oneDNN call \(call) failed with status \(status)"
        case let .invalidLayer(what): return "invalid layer: \(what)"
        case let .sizeMismatch(what, expected, found): return "\(what): expected \(expected) elements, found \(found)"
        case let .allocationFailed(bytes): return "cannot allocate \(bytes) bytes"
        }
    }
}
