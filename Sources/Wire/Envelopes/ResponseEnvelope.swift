import CProtobuf

/// Every response frame's body: the call it answers, its status, and the method's result.
public struct ResponseEnvelope: WireMessage, Equatable {
    public var callID: UInt64
    /// Raw so that a newer server's codes still decode; see `status`.
    public var statusCode: UInt32
    public var message: String
    public var payload: [UInt8]
    /// With RESOURCE_EXHAUSTED: milliseconds the server suggests waiting before a retry; 0: none.
    public var retryAfterMillis: UInt32
    /// Ed25519 over `AnswerStatement` (empty: unsigned), the signing key's id, and the server's
    /// clock in Unix milliseconds when it signed.
    public var signature: [UInt8] = []
    public var signingKeyID = ""
    public var serverUnixMillis: UInt64 = 0

    public var status: RPCStatusCode { RPCStatusCode(rawValue: statusCode) ?? .unknown }

    public init(callID: UInt64, status: RPCStatusCode, message: String = "", payload: [UInt8] = [],
                retryAfterMillis: UInt32 = 0) {
        self.callID = callID
        self.statusCode = status.rawValue
        self.message = message
        self.payload = payload
        self.retryAfterMillis = retryAfterMillis
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "ResponseEnvelope", strings: [3, 7],
                                 unpack: facematch__v1__response_envelope__unpack,
                                 free: facematch__v1__response_envelope__free_unpacked) { c in
            var envelope = ResponseEnvelope(callID: c.call_id, status: .ok, message: swiftString(c.message),
                                            payload: swiftBytes(c.payload), retryAfterMillis: c.retry_after_ms)
            envelope.statusCode = c.status
            envelope.signature = swiftBytes(c.signature)
            envelope.signingKeyID = swiftString(c.signing_key_id)
            envelope.serverUnixMillis = c.server_unix_ms
            return envelope
        }
    }

    public func serialized() -> [UInt8] {
        let builder = CMessageBuilder()
        let c = builder.message(facematch__v1__response_envelope__init)
        c.pointee.call_id = callID
        c.pointee.status = statusCode
        c.pointee.message = builder.string(message)
        c.pointee.payload = builder.bytes(payload)
        c.pointee.retry_after_ms = retryAfterMillis
        c.pointee.signature = builder.bytes(signature)
        c.pointee.signing_key_id = builder.string(signingKeyID)
        c.pointee.server_unix_ms = serverUnixMillis
        return packMessage(c, size: facematch__v1__response_envelope__get_packed_size,
                           pack: facematch__v1__response_envelope__pack)
    }
}
