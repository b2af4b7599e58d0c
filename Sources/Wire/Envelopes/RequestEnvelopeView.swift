import NIOCore

/// A `RequestEnvelope` read straight off its frame, as the server reads it: the four small
/// fields are decoded, the payload stays where it is, a slice of the frame (no copy). Reading
/// it costs the same for a 100-byte and a 10 MB frame, so an event loop can afford it; the
/// payload is decoded later, on a worker (`RPCRequest(method:payload:)`).
///
/// The fields, by number: 1 `call_id` (varint), 2 `method` (length-delimited UTF-8),
/// 3 `api_key` (likewise), 4 `timeout_ms` (varint, truncated to 32 bits as protobuf does),
/// 5 `payload` (length-delimited). As in protobuf, the last occurrence of a field wins and
/// unknown fields are skipped; a known field with the wrong wire type is malformed.
public struct RequestEnvelopeView: Sendable {
    public var callID: UInt64
    public var methodName: String
    public var apiKey: String
    public var timeoutMillis: UInt32
    public var payload: ByteBuffer

    public var method: RPCMethod? { RPCMethod(rawValue: methodName) }

    /// Why a frame body is not a usable envelope.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Not a protobuf message at all (bad varint, truncated field, group, too many fields).
        /// `callID` is set when field 1 was read before the damage: that call can be answered.
        case malformed(callID: UInt64?, reason: String)
        /// A well-formed envelope whose `method` or `api_key` is not valid, NUL-free UTF-8.
        case invalidString(callID: UInt64, field: String)
        /// A well-formed envelope whose `method` or `api_key` is longer than `maxStringBytes`.
        case oversizeString(callID: UInt64, field: String, bytes: Int)

        /// The call to answer INVALID_ARGUMENT, when there is one.
        public var callID: UInt64? {
            switch self {
            case .malformed(let id, _): id
            case .invalidString(let id, _), .oversizeString(let id, _, _): id
            }
        }

        public var description: String {
            switch self {
            case .malformed(_, let reason): "malformed request envelope: \(reason)"
            case .invalidString(_, let field): "request envelope field \(field) is not valid, NUL-free UTF-8"
            case .oversizeString(_, let field, let bytes):
                "request envelope field \(field) has \(bytes) bytes, at most \(RequestEnvelopeView.maxStringBytes) allowed"
            }
        }
    }

    /// Longest `method` or `api_key` read: far above any real one, and small enough that checking
    /// it stays cheap on an event loop.
    public static let maxStringBytes = 4096

    public init(frame: ByteBuffer) throws(Failure) {
        var callID: UInt64?
        var method: Range<Int>?
        var apiKey: Range<Int>?
        var timeout: UInt64 = 0
        var payload: Range<Int>?
        let parsed: Failure? = frame.withUnsafeReadableBytes { bytes -> Failure? in
            var index = 0
            var fields = 0
            func malformed(_ reason: String) -> Failure { .malformed(callID: callID, reason: reason) }
            while index < bytes.count {
                fields += 1
                guard fields <= MessagePrecheck.maxFields else {
                    return malformed("more than \(MessagePrecheck.maxFields) fields")
                }
                guard let key = MessagePrecheck.readVarint(bytes, &index) else { return malformed("bad field key") }
                let (field, wireType) = (key >> 3, key & 7)
                guard field > 0 else { return malformed("field number 0") }
                let expected: UInt64? = switch field {
                case 1, 4: 0
                case 2, 3, 5: 2
                default: nil
                }
                if let expected, expected != wireType {
                    return malformed("field \(field) has wire type \(wireType)")
                }
                switch wireType {
                case 0:
                    guard let value = MessagePrecheck.readVarint(bytes, &index) else { return malformed("bad varint") }
                    if field == 1 { callID = value } else if field == 4 { timeout = value }
                case 1, 5:
                    let width = wireType == 1 ? 8 : 4
                    guard bytes.count - index >= width else { return malformed("truncated fixed-width field") }
                    index += width
                case 2:
                    guard let length = MessagePrecheck.readVarint(bytes, &index), length <= UInt64(bytes.count - index) else {
                        return malformed("truncated length-delimited field")
                    }
                    let range = index..<(index + Int(length))
                    index = range.upperBound
                    switch field {
                    case 2: method = range
                    case 3: apiKey = range
                    case 5: payload = range
                    default: break
                    }
                default:
                    return malformed("wire type \(wireType)")
                }
            }
            return nil
        }
        if let parsed { throw parsed }
        let id = callID ?? 0
        func slice(_ range: Range<Int>?) -> ByteBuffer? {
            range.flatMap { frame.getSlice(at: frame.readerIndex + $0.lowerBound, length: $0.count) }
        }
        for (name, range) in [("method", method), ("api_key", apiKey)] {
            if let range, range.count > Self.maxStringBytes {
                throw .oversizeString(callID: id, field: name, bytes: range.count)
            }
        }
        let methodBytes = slice(method)
        let keyBytes = slice(apiKey)
        guard methodBytes.map({ MessagePrecheck.isCleanUTF8($0.readableBytesView) }) ?? true else {
            throw .invalidString(callID: id, field: "method")
        }
        guard keyBytes.map({ MessagePrecheck.isCleanUTF8($0.readableBytesView) }) ?? true else {
            throw .invalidString(callID: id, field: "api_key")
        }
        self.callID = id
        self.methodName = methodBytes.map { String(buffer: $0) } ?? ""
        self.apiKey = keyBytes.map { String(buffer: $0) } ?? ""
        self.timeoutMillis = UInt32(truncatingIfNeeded: timeout)
        self.payload = slice(payload) ?? ByteBuffer()
    }
}
