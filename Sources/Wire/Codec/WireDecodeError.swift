/// Why a protobuf message (an envelope or a method's payload) was refused. A server answers a
/// refused payload with INVALID_ARGUMENT (`statusCode`); a refused request envelope leaves no
/// call id to answer, so the connection is closed.
public enum WireDecodeError: Error, Equatable, CustomStringConvertible {
    /// protobuf-c refused the bytes (bad varint, wrong wire type, truncated field, group...).
    case undecodable(message: String, bytes: Int)
    /// The bytes decoded but a field is out of its allowed range.
    case invalidField(String)
    /// A string field is not valid UTF-8 or holds a NUL byte (which C strings would cut short).
    case invalidString(message: String, field: UInt32, bytes: Int)
    /// More top-level fields than any real message has (each would cost protobuf-c an allocation).
    case tooManyFields(message: String, limit: Int)

    public var statusCode: RPCStatusCode { .invalidArgument }

    public var description: String {
        switch self {
        case let .undecodable(message, bytes): return "\(bytes) bytes are not a valid \(message) message"
        case let .invalidField(what): return what
        case let .invalidString(message, field, bytes):
            return "\(message) field \(field) (\(bytes) bytes) is not NUL-free UTF-8"
        case let .tooManyFields(message, limit): return "\(message) has more than \(limit) fields"
        }
    }
}
