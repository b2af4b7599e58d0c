import ArgumentParser
import Logging
import MatchRPC

/// `serve`'s TLS options, over the config's `tls` object, and the plaintext rule.
struct ServeTLSOptions: ParsableArguments {
    @Option(name: .long, help: "PEM certificate (chain) of the server: TLS 1.3 only on the RPC and metrics ports (config tls.cert).")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key of --tls-cert (config tls.key).")
    var tlsKey: String?

    @Option(name: .long, help: "PEM CA certificate(s): every client must present a certificate they signed, mTLS (config tls.client_ca).")
    var tlsClientCa: String?

    @Flag(name: .long, help: "Allow plaintext on a non-loopback address (refused otherwise); logged as a warning.")
    var insecurePlaintext = false

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    /// The files from the options, else the config's; loaded now so that a bad file stops the
    /// start before the models load. Also applies the plaintext rule and checks that
    /// applications bound to a client certificate have mTLS to rely on.
    func load(over config: ServerConfig, logger: Logger) throws -> ServerTLS? {
        var files = config.tls
        if let tlsCert, let tlsKey {
            files = ServerTLSFiles(certificate: tlsCert, privateKey: tlsKey, clientCA: files?.clientCA)
        }
        if let tlsClientCa {
            guard files != nil else { throw ValidationError("--tls-client-ca needs --tls-cert and --tls-key (or the config's tls)") }
            files?.clientCA = tlsClientCa
        }
        let plaintextOnNetwork: Bool
        do {
            plaintextOnNetwork = try PlaintextListenPolicy.check(host: config.host, tls: files != nil, allowPlaintext: insecurePlaintext)
        } catch {
            throw ValidationError(error.description)
        }
        if plaintextOnNetwork {
            logger.warning("--insecure-plaintext: listening on \(config.host) WITHOUT TLS; API keys, images and results cross the network in the clear")
        }
        if let bound = config.applications?.first(where: { $0.clientCertificate != nil }), files?.clientCA == nil {
            throw ValidationError("application \"\(bound.id)\" is bound to a client certificate: give --tls-client-ca (or tls.client_ca)")
        }
        guard let files else { return nil }
        do {
            return try ServerTLS(files: files, logger: logger)
        } catch {
            throw ValidationError("TLS: \(error)")
        }
    }
}
