import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Wire

/// An async client for the face-match service over one TCP connection. Calls may be issued
/// concurrently from many tasks: they are pipelined on the connection and matched to their
/// answers by call id.
public final class MatchClient: Sendable {
    public static let defaultTimeout: TimeAmount = .seconds(30)

    private let channel: Channel
    private let apiKey: String
    private let maxFrameBytes: Int
    private let nextCallID = NIOLockedValueBox<UInt64>(0)
    private let verifier: AnswerVerifier?

    private init(channel: Channel, apiKey: String, maxFrameBytes: Int, verifier: AnswerVerifier?) {
        self.channel = channel
        self.apiKey = apiKey
        self.maxFrameBytes = maxFrameBytes
        self.verifier = verifier
    }

    /// Connects to `host:port`; `apiKey` is sent with every call. With `tls`, returns once the
    /// TLS handshake has succeeded (throws `.tlsFailure` when a certificate is refused). With
    /// `verifier`, every answer that should be signed must carry a valid, fresh signature by its
    /// key, or the call throws `MatchClientError.badSignature`.
    public static func connect(host: String, port: Int, apiKey: String, tls: MatchClientTLS? = nil,
                               maxFrameBytes: Int = WireLimits.defaultMaxFrameBytes,
                               group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                               verifier: AnswerVerifier? = nil) async throws -> MatchClient {
        let handshake = group.next().makePromise(of: Void.self)
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(try tls.handler(host: host))
                            try channel.pipeline.syncOperations.addHandler(TLSHandshakeWaiter(promise: handshake))
                        }
                        try WireClientCodec.addHandlers(to: channel.pipeline.syncOperations, maxFrameBytes: maxFrameBytes)
                        try channel.pipeline.syncOperations.addHandler(ClientCallHandler())
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            handshake.fail(error)
            throw error
        }
        if tls == nil { handshake.succeed() }
        do {
            try await handshake.futureResult.get()
        } catch {
            try? await channel.close()
            throw error
        }
        return MatchClient(channel: channel, apiKey: apiKey, maxFrameBytes: maxFrameBytes, verifier: verifier)
    }

    /// `HOST:PORT` (IPv6 as `[ADDR]:PORT`).
    public static func connect(address: String, apiKey: String, tls: MatchClientTLS? = nil,
                               verifier: AnswerVerifier? = nil) async throws -> MatchClient {
        let (host, port) = try parseAddress(address)
        return try await connect(host: host, port: port, apiKey: apiKey, tls: tls, verifier: verifier)
    }

    public static func parseAddress(_ address: String) throws(MatchClientError) -> (host: String, port: Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (1...65535).contains(port) else { throw .invalidAddress(address) }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidAddress(address) }
        return (host, port)
    }

    /// Sends one call and waits for its answer; throws `MatchClientError.status` for a non-OK code.
    /// `timeout` is sent as the call's deadline and also bounds the local wait. A request over the
    /// frame limit fails alone with `.requestTooLarge`, before anything is written: the
    /// connection and the other calls on it go on.
    public func call(method: String, payload: [UInt8], timeout: TimeAmount? = MatchClient.defaultTimeout) async throws -> [UInt8] {
        let callID = nextCallID.withLockedValue { id -> UInt64 in
            id &+= 1
            return id
        }
        // The deadline travels as whole milliseconds, at least 1 (0 would mean the server's default).
        let millis = timeout.map { UInt32(clamping: max(1, $0.nanoseconds / 1_000_000)) } ?? 0
        let envelope = RequestEnvelope(callID: callID, methodName: method, apiKey: apiKey, timeoutMillis: millis,
                                       payload: payload).serialized()
        guard envelope.count <= maxFrameBytes else {
            throw MatchClientError.requestTooLarge(bytes: envelope.count, limit: maxFrameBytes)
        }
        let reply = channel.eventLoop.makePromise(of: ServerReply.self)
        let call = OutgoingCall(callID: callID, timeout: timeout, envelope: envelope)
        channel.writeAndFlush((call, reply)).whenFailure { _ in reply.fail(MatchClientError.connectionClosed) }
        let answer = try await reply.futureResult.get()
        guard answer.status == .ok else { throw MatchClientError.status(answer.status, message: answer.message,
                                                                                  retryAfterMilliseconds: answer.retryAfterMillis) }
        if let verifier, let signed = RPCMethod(rawValue: method), signed.isSigned {
            do {
                try verifier.check(method: signed, callID: callID, payload: answer.payload, signature: answer.signature,
                                   signingKeyID: answer.signingKeyID, serverUnixMillis: answer.serverUnixMillis)
            } catch {
                throw MatchClientError.badSignature(error)
            }
        }
        return answer.payload
    }

    public func close() async {
        try? await channel.close()
    }
}
