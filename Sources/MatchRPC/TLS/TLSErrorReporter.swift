import NIOCore
import NIOSSL

/// Sits after the server's TLS handler: a failed handshake (wrong CA, no client certificate,
/// an old TLS version) is counted and logged as the protocol error `tls_handshake`; a peer that
/// closes without TLS's close_notify is not an error worth a line. The TLS handler closes the
/// connection itself.
final class TLSErrorReporter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let protocolErrors: ProtocolErrorLog?

    /// - Parameter protocolErrors: nil on the metrics port, whose errors are not counted.
    init(protocolErrors: ProtocolErrorLog?) {
        self.protocolErrors = protocolErrors
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case NIOSSLError.uncleanShutdown:
            return
        case let error as NIOSSLError:
            let peer = context.channel.remoteAddress?.ipAddress ?? "unknown"
            protocolErrors?.report(kind: "tls_handshake", detail: "\(error)", peer: peer, closes: true)
        default:
            context.fireErrorCaught(error)
        }
    }
}
