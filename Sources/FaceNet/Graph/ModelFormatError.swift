/// Why a network file (ONNX, OpenVINO IR) was refused. Each case names the place and the numbers.
public enum ModelFormatError: Error, Equatable, CustomStringConvertible {
    /// The bytes do not parse as the format at all.
    case unreadable(format: String, reason: String)
    /// An operation this engine does not implement; the model is refused rather than misread.
    case unsupportedOperation(node: String, operation: String)
    /// A known operation with settings this engine does not implement.
    case unsupportedAttribute(node: String, detail: String)
    /// A node names an input no earlier node, constant or graph input produces.
    case missingValue(node: String, value: String)
    /// A constant whose byte range or element count does not match its declared shape.
    case badConstant(name: String, detail: String)
    /// Shapes that do not fit together.
    case shapeMismatch(node: String, detail: String)

    public var description: String {
        switch self {
        case let .unreadable(format, reason): return "not a readable \(format) model: \(reason)"
        case let .unsupportedOperation(node, operation): return "node \(node): operation \(operation) is not supported"
        case let .unsupportedAttribute(node, detail): return "node \(node): unsupported setting: \(detail)"
        case let .missingValue(node, value): return "node \(node) reads \(value), which nothing produces"
        case let .badConstant(name, detail): return "constant \(name): \(detail)"
        case let .shapeMismatch(node, detail): return "node \(node): \(detail)"
        }
    }
}

/// Elements of a tensor of these dims, or nil when a dim is negative or the product would pass
/// `limit` (a file cannot make the reader overflow or allocate without bound).
func constantElementCount(_ dims: [Int], limit: Int = 1 << 28) -> Int? {
    var count = 1
    for d in dims {
        guard d >= 0 else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: d)
        guard !overflow, product <= limit else { return nil }
        count = product
    }
    return count
}

/// The largest kernel side, stride, padding or upsampling factor a reader accepts: far above what
/// any face network uses, and small enough that shape arithmetic cannot overflow.
let graphWindowLimit = 1024
