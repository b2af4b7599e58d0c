import NIOCore
import Wire

/// A request as the server handles it, whatever its wire encoding.
public struct IncomingCall: Sendable {
    public var callID: UInt64
    public var method: String
    public var apiKey: String
    /// nil: the client set no deadline.
    public var deadline: NIODeadline?
    public var payload: [UInt8]
    /// When the server finished reading the frame; server-side time is measured from here.
    public var received: NIODeadline

    public init(callID: UInt64, method: String, apiKey: String, deadline: NIODeadline?, payload: [UInt8],
                received: NIODeadline = .now()) {
        self.callID = callID
        self.method = method
        self.apiKey = apiKey
        self.deadline = deadline
        self.payload = payload
        self.received = received
    }
}

/// The answer to one call.
public struct CallReply: Sendable {
    public var callID: UInt64
    public var status: RPCStatusCode
    public var message: String
    public var payload: [UInt8]
    /// With RESOURCE_EXHAUSTED or UNAVAILABLE: the suggested wait before a retry, milliseconds (0: none).
    public var retryAfterMillis: UInt32

    public init(callID: UInt64, status: RPCStatusCode, message: String = "", payload: [UInt8] = [],
                retryAfterMillis: UInt32 = 0) {
        self.callID = callID
        self.status = status
        self.message = message
        self.payload = payload
        self.retryAfterMillis = retryAfterMillis
    }
}
