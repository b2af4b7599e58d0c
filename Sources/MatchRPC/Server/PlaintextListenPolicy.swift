import NIOCore

/// The secure default: plaintext (no TLS) is allowed on loopback addresses only, unless the
/// operator says otherwise (`--insecure-plaintext`). API keys, images and templates must not
/// cross a network in the clear by accident.
public enum PlaintextListenPolicy {
    public struct Refusal: Error, CustomStringConvertible {
        public let host: String
        public var description: String {
            "refusing to listen on \(host) without TLS: give --tls-cert and --tls-key (or the config's tls), "
                + "or --insecure-plaintext to accept plaintext on the network"
        }
    }

    /// Throws when `host` is not a loopback address, there is no TLS, and plaintext was not allowed.
    /// - Returns: whether the server will listen in plaintext beyond loopback (to be logged as a warning).
    @discardableResult
    public static func check(host: String, tls: Bool, allowPlaintext: Bool) throws(Refusal) -> Bool {
        guard !tls, !isLoopback(host) else { return false }
        guard allowPlaintext else { throw Refusal(host: host) }
        return true
    }

    /// 127.0.0.0/8, ::1 and `localhost`; anything else (0.0.0.0, names) may reach a network.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        switch try? SocketAddress(ipAddress: host, port: 0) {
        case .v4(let address): return UInt32(bigEndian: address.address.sin_addr.s_addr) >> 24 == 127
        case .v6: return host == "::1" || host.lowercased() == "0:0:0:0:0:0:0:1"
        default: return false
        }
    }
}
