import Wire

/// Why a client call failed.
public enum MatchClientError: Error, Equatable, CustomStringConvertible {
    /// The server answered with a non-OK status. With RESOURCE_EXHAUSTED, `retryAfterMilliseconds`
    /// is the server's estimate of when a retry could be admitted (0: none given).
    case status(RPCStatusCode, message: String, retryAfterMilliseconds: UInt32 = 0)
    /// The deadline passed before an answer arrived (the client stopped waiting).
    case deadlineExceeded(milliseconds: Int64)
    /// The connection closed with the call unanswered.
    case connectionClosed
    /// The answer's payload did not decode as the expected message.
    case malformedResponse(String)
    /// `HOST:PORT` did not parse.
    case invalidAddress(String)
    /// The request's frame would exceed the frame limit; it was not sent.
    case requestTooLarge(bytes: Int, limit: Int)
    /// TLS failed: a certificate was refused (by either side), or the TLS files are unusable.
    case tlsFailure(String)
    /// The client was given the server's public key and the answer's signature failed the check:
    /// the answer must not be trusted.
    case badSignature(AnswerSignatureError)

    public var description: String {
        switch self {
        case .status(let code, let message, _): "\(code.name): \(message)"
        case .deadlineExceeded(let ms): "DEADLINE_EXCEEDED: no answer within \(ms) ms"
        case .connectionClosed: "UNAVAILABLE: connection closed before the answer"
        case .malformedResponse(let why): "INTERNAL: malformed response: \(why)"
        case .invalidAddress(let text): "invalid address \"\(text)\"; expected HOST:PORT"
        case .requestTooLarge(let bytes, let limit):
            "INVALID_ARGUMENT: request of \(bytes) bytes exceeds the \(limit)-byte frame limit; not sent"
        case .tlsFailure(let why): "UNAVAILABLE: TLS: \(why)"
        case .badSignature(let why): "UNAUTHENTICATED: answer not trusted: \(why)"
        }
    }

    /// The server's suggested wait before retrying a refused call, in milliseconds (0: none).
    public var retryAfterMilliseconds: UInt32 {
        if case .status(_, _, let wait) = self { return wait }
        return 0
    }

    /// The gRPC status this error amounts to.
    public var code: RPCStatusCode {
        switch self {
        case .status(let code, _, _): code
        case .deadlineExceeded: .deadlineExceeded
        case .connectionClosed, .tlsFailure: .unavailable
        case .malformedResponse: .internal
        case .invalidAddress, .requestTooLarge: .invalidArgument
        case .badSignature: .unauthenticated
        }
    }
}
