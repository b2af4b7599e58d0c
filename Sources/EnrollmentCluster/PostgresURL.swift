import Foundation
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=...` URL as a `PostgresClient`
/// configuration. sslmode keeps libpq's meaning: disable, prefer (the default), require
/// (encrypt without checking the certificate), verify-ca and verify-full (check it).
public struct PostgresURL: Sendable, Equatable {
    public enum SSLMode: String, Sendable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    public var sslMode: SSLMode

    public init(_ text: String) throws(ClusterError) {
        guard let parts = URLComponents(string: text), parts.scheme == "postgres" || parts.scheme == "postgresql" else {
            throw .badURL("expected postgres://user@host:port/database")
        }
        guard let host = parts.host, !host.isEmpty else { throw .badURL("no host") }
        guard let user = parts.user, !user.isEmpty else { throw .badURL("no user name") }
        self.host = host
        self.port = parts.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = parts.password.map { $0.removingPercentEncoding ?? $0 }
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        self.database = path.isEmpty ? nil : path
        self.sslMode = .prefer
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw .badURL("sslmode must be disable, allow, prefer, require, verify-ca or verify-full")
                }
                sslMode = mode
            default:
                throw .badURL("unsupported parameter \"\(item.name)\"")
            }
        }
    }

    /// The URL without its password, for logs.
    public var redacted: String {
        "postgres://\(username)@\(host):\(port)/\(database ?? "")?sslmode=\(sslMode.rawValue)"
    }

    public var clientConfiguration: PostgresClient.Configuration {
        PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                     database: database, tls: clientTLS)
    }

    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .allow, .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration))
        case .require, .verifyCA, .verifyFull: tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
        }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                                database: database, tls: tls)
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch sslMode {
        case .disable: .disable
        case .allow, .prefer: .prefer(tlsConfiguration)
        case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
        }
    }

    private var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .verifyFull: tls.certificateVerification = .fullVerification
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        default: tls.certificateVerification = .none
        }
        return tls
    }
}
