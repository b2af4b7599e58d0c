import NIOCore
import Wire

/// A request as the server handles it, whatever its wire encoding.
struct IncomingCall: Sendable {
    public var callID: UInt64
    public var method: String
    public var apiKey: String
    /// When the call must be answered by (the client's timeout, else the server's default).
    public var deadline: NIODeadline?
    /// The method's request, still serialized: a slice of the frame, decoded on a worker.
    public var payload: ByteBuffer
    /// When the server finished reading the frame; server-side time is measured from here.
    public var received: NIODeadline

    public init(callID: UInt64, method: String, apiKey: String, deadline: NIODeadline?, payload: ByteBuffer,
                received: NIODeadline = .now()) {
        self.callID = callID
        self.method = method
        self.apiKey = apiKey
        self.deadline = deadline
        self.payload = payload
        self.received = received
    }

    public init(callID: UInt64, method: String, apiKey: String, deadline: NIODeadline?, payload: [UInt8],
                received: NIODeadline = .now()) {
        self.init(callID: callID, method: method, apiKey: apiKey, deadline: deadline, payload: ByteBuffer(bytes: payload),
                  received: received)
    }
}

/// The answer to one call.
struct CallReply: Sendable {
    public var callID: UInt64
    public var status: RPCStatusCode
    public var message: String
    public var payload: [UInt8]
    /// With RESOURCE_EXHAUSTED or UNAVAILABLE: the suggested wait before a retry, milliseconds (0: none).
    public var retryAfterMillis: UInt32
    /// Set by `signed(by:method:requestID:)` on OK answers (see `AnswerStatement`).
    public var signature: [UInt8] = []
    public var signingKeyID = ""
    public var serverUnixMillis: UInt64 = 0

    public init(callID: UInt64, status: RPCStatusCode, message: String = "", payload: [UInt8] = [],
                retryAfterMillis: UInt32 = 0) {
        self.callID = callID
        self.status = status
        self.message = message
        self.payload = payload
        self.retryAfterMillis = retryAfterMillis
    }
}
