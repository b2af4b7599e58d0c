import Foundation
import XCTest
@testable import MatchRPC

/// The config's `tls` object and applications' `client_certificate`.
final class TLSConfigTests: XCTestCase {
    private let digest = APIKeyDigest(key: "k").hex

    private func parse(_ json: String) throws -> ServerConfig {
        try ConfigLoader.parse(Data(json.utf8))
    }

    private func application(_ binding: String) -> String {
        #"{"applications": [{"id": "shop", "api_key_sha256": "\#(digest)", "client_certificate": \#(binding)}]}"#
    }

    func testTLSFiles() throws {
        XCTAssertNil(try parse("{}").tls)
        XCTAssertEqual(try parse(#"{"tls": {"cert": "s.pem", "key": "s.key"}}"#).tls,
                       ServerTLSFiles(certificate: "s.pem", privateKey: "s.key"))
        XCTAssertEqual(try parse(#"{"tls": {"cert": "s.pem", "key": "s.key", "client_ca": "ca.pem"}}"#).tls?.clientCA, "ca.pem")
        for half in [#"{"tls": {"cert": "s.pem"}}"#, #"{"tls": {"key": "s.key"}}"#, #"{"tls": {"client_ca": "ca.pem"}}"#] {
            XCTAssertThrowsError(try parse(half), half) { error in
                XCTAssertEqual(error as? ConfigError,
                               .invalidSetting(key: "tls", reason: "cert and key go together, and client_ca needs them"))
            }
        }
        XCTAssertThrowsError(try parse(#"{"tls": {"cert": "s.pem", "key": "s.key", "certificate": "x"}}"#)) { error in
            XCTAssertEqual(error as? ConfigError, .unknownKey(path: "tls.certificate"))
        }
    }

    func testClientCertificateBindings() throws {
        let bindings: [(String, ClientCertificateBinding)] = [
            (#"{"subject_cn": "shop-backend"}"#, .subjectCommonName("shop-backend")),
            (#"{"san_dns": "shop.example.org"}"#, .dnsName("shop.example.org")),
            (#"{"san_uri": "spiffe://example.org/shop"}"#, .uri("spiffe://example.org/shop")),
        ]
        for (json, binding) in bindings {
            XCTAssertEqual(try parse(application(json)).applications?.first?.clientCertificate, binding, json)
        }
        XCTAssertNil(try parse(application("null")).applications?.first?.clientCertificate)
        for bad in ["{}", #"{"subject_cn": "a", "san_dns": "b"}"#, #"{"subject_cn": ""}"#] {
            XCTAssertThrowsError(try parse(application(bad)), bad) { error in
                guard case .invalidApplication(0, let reason) = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertTrue(reason.contains("client_certificate"), reason)
            }
        }
        XCTAssertThrowsError(try parse(application(#"{"subject": "shop"}"#))) { error in
            XCTAssertEqual(error as? ConfigError, .unknownKey(path: "applications[0].client_certificate.subject"))
        }
    }

    func testBindingMatchesNamesFromTheCertificate() {
        let identity = ClientCertificateIdentity(commonNames: ["shop-backend"], dnsNames: ["Shop.Example.org"],
                                                 uris: ["spiffe://example.org/shop"])
        XCTAssertTrue(ClientCertificateBinding.subjectCommonName("shop-backend").admits(identity))
        XCTAssertFalse(ClientCertificateBinding.subjectCommonName("Shop-backend").admits(identity), "CN is exact")
        XCTAssertTrue(ClientCertificateBinding.dnsName("shop.example.ORG").admits(identity), "DNS ignores case")
        XCTAssertFalse(ClientCertificateBinding.dnsName("shop-backend").admits(identity), "a CN is not a DNS name")
        XCTAssertTrue(ClientCertificateBinding.uri("spiffe://example.org/shop").admits(identity))
        XCTAssertFalse(ClientCertificateBinding.uri("spiffe://example.org/shop/x").admits(identity))
    }
}
