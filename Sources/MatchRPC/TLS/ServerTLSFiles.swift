/// Where the server's TLS material lives (`--tls-cert`, `--tls-key`, `--tls-client-ca`, or the
/// config's `tls` object). PEM files; the certificate file may hold the chain after the leaf.
public struct ServerTLSFiles: Sendable, Equatable {
    public var certificate: String
    public var privateKey: String
    /// CA certificates that sign client certificates; set, every client must present one (mTLS).
    public var clientCA: String?

    public init(certificate: String, privateKey: String, clientCA: String? = nil) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.clientCA = clientCA
    }
}

/// Why TLS files could not be used; the message names the file.
public enum TLSFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case noCertificate(path: String)
    case expired(path: String)
    case keyDoesNotMatch(certificate: String, key: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot use \(path): \(reason)"
        case .noCertificate(let path): "\(path) holds no PEM certificate"
        case .expired(let path): "the certificate in \(path) has expired"
        case .keyDoesNotMatch(let certificate, let key): "the key in \(key) does not belong to the certificate in \(certificate)"
        }
    }
}
