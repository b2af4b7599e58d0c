/// Why a call failed; each case maps to one gRPC status code (see `RPCDispatcher`).
public enum ServiceError: Error, Equatable {
    /// INVALID_ARGUMENT: a non-image, an oversize image, a bad subject id or parameter.
    case invalidArgument(String)
    /// NOT_FOUND: DeleteEnrollment of a subject without an enrolment.
    case notFound(String)
    /// DEADLINE_EXCEEDED: the call's deadline passed while it ran; it changed nothing.
    case deadlineExceeded(String)
    /// DATA_LOSS: the store found corrupt data.
    case dataLoss(String)
    /// UNAVAILABLE: the system of record cannot take writes now; retry after the hint (milliseconds).
    case unavailable(String, retryAfterMillis: UInt32)
    /// INTERNAL: anything unexpected; the message never contains biometric data.
    case internalError(String)
}
