/// A response payload together with the method it answers (the client knows the method from
/// the call id it chose; the payload alone does not say).
public enum RPCResponse: Sendable, Equatable {
    case compare(MatchReportMessage)
    case enroll(EnrollResultMessage)
    case verify(MatchReportMessage)
    case identify(IdentifyResultMessage)
    case deleteEnrollment(DeleteEnrollmentResultMessage)
    case health(HealthResultMessage)

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

    /// Decodes `payload` as the response message of `method`.
    public init(method: RPCMethod, payload: [UInt8]) throws(WireDecodeError) {
        switch method {
        case .compare: self = .compare(try MatchReportMessage(serialized: payload))
        case .enroll: self = .enroll(try EnrollResultMessage(serialized: payload))
        case .verify: self = .verify(try MatchReportMessage(serialized: payload))
        case .identify: self = .identify(try IdentifyResultMessage(serialized: payload))
        case .deleteEnrollment: self = .deleteEnrollment(try DeleteEnrollmentResultMessage(serialized: payload))
        case .health: self = .health(try HealthResultMessage(serialized: payload))
        }
    }

    public func serialized() -> [UInt8] {
        switch self {
        case let .compare(message), let .verify(message): message.serialized()
        case let .enroll(message): message.serialized()
        case let .identify(message): message.serialized()
        case let .deleteEnrollment(message): message.serialized()
        case let .health(message): message.serialized()
        }
    }
}
