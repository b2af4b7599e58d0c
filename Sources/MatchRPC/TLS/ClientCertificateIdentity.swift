import NIOCore
import NIOSSL

/// The names in a client's certificate that an application can be bound to: the subject's
/// common names and the DNS and URI subject alternative names. Read once per connection, after
/// the handshake verified the certificate against the client CA.
public struct ClientCertificateIdentity: Sendable, Equatable {
    public var commonNames: [String]
    public var dnsNames: [String]
    public var uris: [String]

    public init(commonNames: [String] = [], dnsNames: [String] = [], uris: [String] = []) {
        self.commonNames = commonNames
        self.dnsNames = dnsNames
        self.uris = uris
    }

    init(_ certificate: NIOSSLCertificate) {
        self.init(commonNames: certificate.subjectName.filter { $0.type == .commonName }.map(\.value))
        for name in certificate._subjectAlternativeNames() {
            let text = name.contents.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
            switch name.nameType {
            case .dnsName: dnsNames.append(text)
            case .uri: uris.append(text)
            default: break
            }
        }
    }

    /// The verified client certificate of a TLS connection, or nil (plaintext, or no certificate).
    /// Call on the channel's event loop.
    static func of(_ pipeline: ChannelPipeline.SynchronousOperations) -> ClientCertificateIdentity? {
        guard let certificate = try? pipeline.nioSSL_peerCertificate() else { return nil }
        return ClientCertificateIdentity(certificate)
    }
}
