/// The exact bytes an answer's Ed25519 signature covers. Every field is fixed-width or
/// length-prefixed, so no two different answers share a statement; the method name stops an
/// answer to one method passing for another's, the call id ties it to the call that asked, the
/// server time dates it, and the tag keeps these signatures apart from anything else the key
/// could sign. Integers are big-endian.
///
///     offset  size  field
///     0       16    tag: ASCII "facematch-answer"
///     16      1     version: 0x01
///     17      4     method name length M, then M bytes of ASCII ("Verify")
///     21+M    8     call_id (RequestEnvelope.call_id, echoed in ResponseEnvelope.call_id)
///     29+M    8     server_unix_ms (ResponseEnvelope.server_unix_ms)
///     37+M    4     request id length R, then R bytes of UTF-8 (the payload's CallInfo.request_id)
///     41+M+R  4     payload length P, then the P bytes of ResponseEnvelope.payload, as sent
public struct AnswerStatement: Sendable, Equatable {
    public static let tag = Array("facematch-answer".utf8)
    public static let version: UInt8 = 1

    public var method: RPCMethod
    public var callID: UInt64
    public var serverUnixMillis: UInt64
    public var requestID: String
    public var payload: [UInt8]

    public init(method: RPCMethod, callID: UInt64, serverUnixMillis: UInt64, requestID: String, payload: [UInt8]) {
        self.method = method
        self.callID = callID
        self.serverUnixMillis = serverUnixMillis
        self.requestID = requestID
        self.payload = payload
    }

    /// The statement for an answer as the client received it: the request id is read from the
    /// payload's CallInfo ("" when the payload has none, which no signed answer lacks).
    public init(method: RPCMethod, callID: UInt64, serverUnixMillis: UInt64, payload: [UInt8]) throws(WireDecodeError) {
        let requestID = try RPCResponse(method: method, payload: payload).callInfo?.requestID ?? ""
        self.init(method: method, callID: callID, serverUnixMillis: serverUnixMillis, requestID: requestID, payload: payload)
    }

    public func bytes() -> [UInt8] {
        let name = Array(method.rawValue.utf8)
        let request = Array(requestID.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(Self.tag.count + 29 + name.count + request.count + payload.count)
        out += Self.tag
        out.append(Self.version)
        append(UInt32(name.count), to: &out)
        out += name
        append(callID, to: &out)
        append(serverUnixMillis, to: &out)
        append(UInt32(request.count), to: &out)
        out += request
        append(UInt32(payload.count), to: &out)
        out += payload
        return out
    }

    private func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out += $0 }
    }
}

extension RPCMethod {
    /// Whether an OK answer to this method is signed: every answer that reports a decision or a
    /// change (it carries CallInfo). Health is not: it is the key's own channel and a probe.
    public var isSigned: Bool { self != .health }
}

extension RPCResponse {
    /// The CallInfo the answer carries (nil for Health, or when the server left it out).
    public var callInfo: CallInfoMessage? {
        switch self {
        case let .compare(m), let .verify(m): m.info
        case let .enroll(m): m.info
        case let .identify(m): m.info
        case let .deleteEnrollment(m): m.info
        case .health: nil
        }
    }
}
