import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOSSL

/// The server's TLS context: TLS 1.3 only (minimum and maximum), its certificate and key, and
/// with a client CA, required client certificates (mTLS). Read from files at start and again by
/// `reload()` (SIGHUP). Each connection takes the context in force when it is accepted, so a
/// reload affects new connections only and drops none; a reload whose files do not load keeps
/// the previous context.
public final class ServerTLS: Sendable {
    public let files: ServerTLSFiles
    private let context: NIOLockedValueBox<NIOSSLContext>
    private let logger: Logger

    /// Loads the files; throws when any of them cannot be used.
    public init(files: ServerTLSFiles, logger: Logger) throws(TLSFileError) {
        self.files = files
        self.logger = logger
        self.context = NIOLockedValueBox(try Self.makeContext(files))
    }

    /// Whether every client must present a certificate signed by the client CA.
    public var requiresClientCertificate: Bool { files.clientCA != nil }

    /// The context new connections use.
    var current: NIOSSLContext { context.withLockedValue { $0 } }

    /// Re-reads the files; on failure logs the error, keeps the context in force and returns the error.
    @discardableResult
    public func reload() -> TLSFileError? {
        do {
            let fresh = try Self.makeContext(files)
            context.withLockedValue { $0 = fresh }
            logger.info("TLS certificates reloaded", metadata: ["certificate": "\(files.certificate)"])
            return nil
        } catch {
            logger.error("TLS reload refused; keeping the previous certificates", metadata: ["error": "\(error)"])
            return error
        }
    }

    static func makeContext(_ files: ServerTLSFiles) throws(TLSFileError) -> NIOSSLContext {
        let chain = try certificates(files.certificate)
        if chain[0].notValidAfter < time(nil) { throw .expired(path: files.certificate) }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem)
        } catch {
            throw .unreadable(path: files.privateKey, reason: "not a PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv13
        configuration.maximumTLSVersion = .tlsv13
        if let clientCA = files.clientCA {
            // Client certificates name no host, so only the chain to the CA is checked.
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try certificates(clientCA))
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .keyDoesNotMatch(certificate: files.certificate, key: files.privateKey)
        }
    }

    private static func certificates(_ path: String) throws(TLSFileError) -> [NIOSSLCertificate] {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .unreadable(path: path, reason: FileManager.default.isReadableFile(atPath: path)
                ? "not a PEM certificate file (\(error))" : "no such readable file")
        }
        guard !chain.isEmpty else { throw .noCertificate(path: path) }
        return chain
    }
}
