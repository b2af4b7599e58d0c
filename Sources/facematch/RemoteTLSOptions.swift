import ArgumentParser
import MatchClient

/// TLS options of every command that calls a running server.
struct RemoteTLSOptions: ParsableArguments {
    @Option(name: .long, help: "PEM CA certificate that signed the server's certificate: connect over TLS 1.3.")
    var tlsCa: String?

    @Option(name: .long, help: "PEM client certificate, for a server that requires one (mTLS); with --tls-key.")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .long, help: "Name the server's certificate must carry (default: the host of --server).")
    var tlsServerName: String?

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCa == nil, tlsCert != nil || tlsServerName != nil {
            throw ValidationError("--tls-cert, --tls-key and --tls-server-name need --tls-ca")
        }
    }

    /// nil without --tls-ca (plaintext).
    func configuration() throws -> MatchClientTLS? {
        guard let tlsCa else { return nil }
        do {
            return try MatchClientTLS(caFile: tlsCa, certificateFile: tlsCert, keyFile: tlsKey, serverHostname: tlsServerName)
        } catch MatchClientError.tlsFailure(let why) {
            throw ValidationError(why)
        }
    }
}
