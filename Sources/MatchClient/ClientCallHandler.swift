import NIOCore
import NIOSSL
import Wire

/// One request as the client sends it: its serialized envelope (checked against the frame
/// limit before it reaches the channel) and its deadline.
struct OutgoingCall: Sendable {
    var callID: UInt64
    var timeout: TimeAmount?
    var envelope: [UInt8]
}

/// The server's answer to one call, after Wire decoding.
struct ServerReply: Sendable {
    var callID: UInt64
    var status: RPCStatusCode
    var message: String
    var payload: [UInt8]
    var retryAfterMillis: UInt32 = 0
    var signature: [UInt8] = []
    var signingKeyID = ""
    var serverUnixMillis: UInt64 = 0
}

/// Matches answers to calls by call id (answers may come in any order), and fails a call locally
/// when its deadline passes or the connection closes. Runs on the channel's event loop.
final class ClientCallHandler: ChannelDuplexHandler {
    typealias InboundIn = ServerReply
    typealias OutboundIn = (OutgoingCall, EventLoopPromise<ServerReply>)
    typealias OutboundOut = OutgoingCall

    private struct Waiting {
        let promise: EventLoopPromise<ServerReply>
        let timer: Scheduled<Void>?
    }

    static let localGrace: TimeAmount = .seconds(1)

    private var waiting: [UInt64: Waiting] = [:]
    private var closed = false
    /// Why TLS closed the connection (a server refusing the client certificate after the
    /// handshake, in TLS 1.3): what the calls then fail with.
    private var tlsError: String?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let (call, reply) = unwrapOutboundIn(data)
        guard !closed else {
            reply.fail(MatchClientError.connectionClosed)
            promise?.fail(MatchClientError.connectionClosed)
            return
        }
        var timer: Scheduled<Void>?
        if let timeout = call.timeout {
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let callID = call.callID
            // The server answers DEADLINE_EXCEEDED itself; this backstop covers a server that
            // does not answer at all.
            timer = context.eventLoop.scheduleTask(in: timeout + Self.localGrace) {
                bound.value.finish(callID, with: .failure(MatchClientError.deadlineExceeded(milliseconds: timeout.nanoseconds / 1_000_000)))
            }
        }
        waiting[call.callID] = Waiting(promise: reply, timer: timer)
        context.write(wrapOutboundOut(call), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        finish(reply.callID, with: .success(reply))
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        let all = waiting
        waiting.removeAll()
        for entry in all.values {
            entry.timer?.cancel()
            entry.promise.fail(tlsError.map { MatchClientError.tlsFailure("\($0)") } ?? MatchClientError.connectionClosed)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case NIOSSLError.uncleanShutdown: break
        case is NIOSSLError, is BoringSSLError: tlsError = "\(error)"
        default: break
        }
        context.close(promise: nil)
    }

    private func finish(_ callID: UInt64, with result: Result<ServerReply, Error>) {
        // An answer arriving after the local deadline finds nothing waiting and is dropped.
        guard let entry = waiting.removeValue(forKey: callID) else { return }
        entry.timer?.cancel()
        entry.promise.completeWith(result)
    }
}
