import Wire

/// An application's `client_certificate` in the config: the certificate name its calls must
/// come with, on top of its API key. Needs mTLS (`tls.client_ca`), which makes the CA vouch for
/// the name.
public enum ClientCertificateBinding: Sendable, Equatable, CustomStringConvertible {
    /// `subject_cn`: a common name of the certificate's subject, exactly.
    case subjectCommonName(String)
    /// `san_dns`: a DNS subject alternative name, compared without regard to ASCII case.
    case dnsName(String)
    /// `san_uri`: a URI subject alternative name (a SPIFFE id, say), exactly.
    case uri(String)

    public func admits(_ identity: ClientCertificateIdentity) -> Bool {
        switch self {
        case .subjectCommonName(let name): identity.commonNames.contains(name)
        case .dnsName(let name): identity.dnsNames.contains { $0.lowercased() == name.lowercased() }
        case .uri(let uri): identity.uris.contains(uri)
        }
    }

    public var description: String {
        switch self {
        case .subjectCommonName(let name): "subject_cn \(name)"
        case .dnsName(let name): "san_dns \(name)"
        case .uri(let uri): "san_uri \(uri)"
        }
    }

    /// The refusal of a call whose key is `application`'s but whose connection lacks the bound
    /// certificate, or nil when the call may go on. As gRPC: UNAUTHENTICATED when the caller
    /// presented no certificate (it cannot be identified), PERMISSION_DENIED when a certificate
    /// the CA vouches for names someone this application is not bound to.
    static func refusal(_ application: Application, client: ClientCertificateIdentity?,
                        callID: UInt64) -> CallReply? {
        guard let binding = application.clientCertificate else { return nil }
        guard let client else {
            return CallReply(callID: callID, status: .unauthenticated,
                             message: "this API key is only accepted with a client certificate (mTLS)")
        }
        guard binding.admits(client) else {
            return CallReply(callID: callID, status: .permissionDenied,
                             message: "this API key is not accepted with this client certificate")
        }
        return nil
    }
}
