import CProtobuf

/// Every request frame's body: who calls what, with which key, by when.
public struct RequestEnvelope: WireMessage, Equatable {
    public var callID: UInt64
    /// Kept as sent so that an unknown method can be answered UNIMPLEMENTED by name.
    public var methodName: String
    public var apiKey: String
    /// Relative deadline; 0 means the server's default.
    public var timeoutMillis: UInt32
    public var payload: [UInt8]

    public var method: RPCMethod? { RPCMethod(rawValue: methodName) }

    public init(callID: UInt64, method: RPCMethod, apiKey: String, timeoutMillis: UInt32 = 0, payload: [UInt8]) {
        self.init(callID: callID, methodName: method.rawValue, apiKey: apiKey, timeoutMillis: timeoutMillis, payload: payload)
    }

    public init(callID: UInt64, methodName: String, apiKey: String, timeoutMillis: UInt32, payload: [UInt8]) {
        self.callID = callID
        self.methodName = methodName
        self.apiKey = apiKey
        self.timeoutMillis = timeoutMillis
        self.payload = payload
    }

    public init(serialized bytes: [UInt8]) throws(WireDecodeError) {
        self = try unpackMessage(bytes, name: "RequestEnvelope", strings: [2, 3],
                                 unpack: facematch__v1__request_envelope__unpack,
                                 free: facematch__v1__request_envelope__free_unpacked) { c in
            RequestEnvelope(callID: c.call_id, methodName: swiftString(c.method), apiKey: swiftString(c.api_key),
                            timeoutMillis: c.timeout_ms, payload: swiftBytes(c.payload))
        }
    }

    public func serialized() -> [UInt8] {
        let builder = CMessageBuilder()
        let c = builder.message(facematch__v1__request_envelope__init)
        c.pointee.call_id = callID
        c.pointee.method = builder.string(methodName)
        c.pointee.api_key = builder.string(apiKey)
        c.pointee.timeout_ms = timeoutMillis
        c.pointee.payload = builder.bytes(payload)
        return packMessage(c, size: facematch__v1__request_envelope__get_packed_size,
                           pack: facematch__v1__request_envelope__pack)
    }
}
