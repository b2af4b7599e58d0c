/// What a server makes of one request frame body. Only a body that is not a RequestEnvelope at
/// all throws (there is no call id to answer, so the connection is closed); every other
/// problem is a call to answer with a status, and the connection keeps serving.
public enum DecodedCall: Sendable, Equatable {
    /// A known method with a payload that decoded.
    case call(RequestEnvelope, RPCRequest)
    /// The envelope names a method this server does not have: answer UNIMPLEMENTED.
    case unknownMethod(RequestEnvelope)
    /// The method is known but its payload does not decode: answer INVALID_ARGUMENT.
    case invalidPayload(RequestEnvelope, WireDecodeError)

    public init(frameBody: [UInt8]) throws(WireDecodeError) {
        let envelope = try RequestEnvelope(serialized: frameBody)
        guard let method = envelope.method else {
            self = .unknownMethod(envelope)
            return
        }
        do {
            self = .call(envelope, try RPCRequest(method: method, payload: envelope.payload))
        } catch {
            self = .invalidPayload(envelope, error)
        }
    }

    public var envelope: RequestEnvelope {
        switch self {
        case let .call(envelope, _), let .unknownMethod(envelope), let .invalidPayload(envelope, _): envelope
        }
    }

    /// The response for a call that cannot run (no payload), or nil for `.call`.
    public var rejection: ResponseEnvelope? {
        switch self {
        case .call:
            return nil
        case let .unknownMethod(envelope):
            // The name is echoed escaped and capped: it is client input going into a message.
            let name = String(envelope.methodName.unicodeScalars.prefix(64).map { $0.escaped(asASCII: true) }.joined())
            return ResponseEnvelope(callID: envelope.callID, status: .unimplemented, message: "unknown method \"\(name)\"")
        case let .invalidPayload(envelope, error):
            return ResponseEnvelope(callID: envelope.callID, status: error.statusCode,
                                    message: "\(envelope.methodName) payload: \(error)")
        }
    }
}
