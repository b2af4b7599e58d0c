/// A request payload together with the method it belongs to: what a client sends and what a
/// server dispatches on, with no protobuf in sight.
public enum RPCRequest: Sendable, Equatable {
    case compare(CompareRequestMessage)
    case enroll(EnrollRequestMessage)
    case verify(VerifyRequestMessage)
    case identify(IdentifyRequestMessage)
    case deleteEnrollment(DeleteEnrollmentRequestMessage)
    case health(HealthRequestMessage)

    public var method: RPCMethod {
        switch self {
        case .compare: .compare
        case .enroll: .enroll
        case .verify: .verify
        case .identify: .identify
        case .deleteEnrollment: .deleteEnrollment
        case .health: .health
        }
    }

    /// Decodes `payload` as `method`'s request message.
    public init(method: RPCMethod, payload: [UInt8]) throws(WireDecodeError) {
        switch method {
        case .compare: self = .compare(try CompareRequestMessage(serialized: payload))
        case .enroll: self = .enroll(try EnrollRequestMessage(serialized: payload))
        case .verify: self = .verify(try VerifyRequestMessage(serialized: payload))
        case .identify: self = .identify(try IdentifyRequestMessage(serialized: payload))
        case .deleteEnrollment: self = .deleteEnrollment(try DeleteEnrollmentRequestMessage(serialized: payload))
        case .health: self = .health(try HealthRequestMessage(serialized: payload))
        }
    }

    public func serialized() -> [UInt8] {
        switch self {
        case let .compare(message): message.serialized()
        case let .enroll(message): message.serialized()
        case let .verify(message): message.serialized()
        case let .identify(message): message.serialized()
        case let .deleteEnrollment(message): message.serialized()
        case let .health(message): message.serialized()
        }
    }
}

extension RequestEnvelope {
    /// An envelope carrying `request` under its method's name.
    public init(callID: UInt64, request: RPCRequest, apiKey: String, timeoutMillis: UInt32 = 0) {
        self.init(callID: callID, method: request.method, apiKey: apiKey, timeoutMillis: timeoutMillis,
                  payload: request.serialized())
    }
}
