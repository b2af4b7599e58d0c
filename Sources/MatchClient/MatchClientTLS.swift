import Foundation
import NIOCore
import NIOSSL

/// How a `MatchClient` speaks TLS: the CA that signed the server's certificate, optionally a
/// client certificate and key (mTLS), and the name to check the server's certificate against.
/// The files are read once, here.
public struct MatchClientTLS: Sendable {
    let context: NIOSSLContext
    /// Checked against the certificate's DNS names (and sent as SNI); nil: the connected host,
    /// which for an IP address is checked against the certificate's IP addresses.
    public let serverHostname: String?

    /// TLS 1.3 only, as the server.
    /// - Parameters:
    ///   - caFile: PEM CA certificate(s) trusted for the server's certificate (not the system's).
    ///   - certificateFile: PEM client certificate (chain), for a server that requires one.
    ///   - keyFile: PEM private key of `certificateFile`.
    public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil,
                serverHostname: String? = nil) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.maximumTLSVersion = .tlsv13
        configuration.trustRoots = .certificates(try Self.certificates(caFile))
        switch (certificateFile, keyFile) {
        case (let certificateFile?, let keyFile?):
            configuration.certificateChain = try Self.certificates(certificateFile).map { .certificate($0) }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } catch {
                throw MatchClientError.tlsFailure("cannot read the private key \(keyFile): \(error)")
            }
        case (nil, nil):
            break
        default:
            throw MatchClientError.tlsFailure("a client certificate and its key go together")
        }
        try self.init(configuration: configuration, serverHostname: serverHostname)
    }

    /// Any NIOSSL client configuration (tests use it to offer an older TLS version).
    public init(configuration: TLSConfiguration, serverHostname: String? = nil) throws {
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw MatchClientError.tlsFailure("unusable TLS configuration: \(error)")
        }
        self.serverHostname = serverHostname
    }

    /// The TLS handler for a connection to `host`: SNI and name check by `serverHostname`, else
    /// by `host` when it is a name; an IP address is checked against the certificate's IP SANs.
    func handler(host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: serverHostname ?? (isAddress ? nil : host))
    }

    private static func certificates(_ path: String) throws -> [NIOSSLCertificate] {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            let why = FileManager.default.isReadableFile(atPath: path) ? "not a PEM certificate file (\(error))" : "no such readable file"
            throw MatchClientError.tlsFailure("cannot use \(path): \(why)")
        }
        guard !chain.isEmpty else { throw MatchClientError.tlsFailure("\(path) holds no PEM certificate") }
        return chain
    }
}
