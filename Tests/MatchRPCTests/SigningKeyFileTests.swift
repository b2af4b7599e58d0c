import Foundation
import Wire
import XCTest
@testable import MatchRPC

final class SigningKeyFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap((FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue)
    }

    func testDevModeCreatesAPrivateKeyOnceAndKeepsItAcrossRestarts() throws {
        let first = try SigningKeyFile.loadOrCreate(directory: directory)
        XCTAssertTrue(first.created)
        XCTAssertEqual(first.path, directory + "/signing-key.pem")
        XCTAssertEqual(try mode(first.path), 0o600)
        // A restart reads the same key: answers signed before and after verify with one public key.
        let second = try SigningKeyFile.loadOrCreate(directory: directory)
        XCTAssertFalse(second.created)
        XCTAssertEqual(second.key.publicKey, first.key.publicKey)
        XCTAssertEqual(try SigningKeyFile.load(path: first.path).seed, first.key.seed)
    }

    func testRefusesAKeyFileOthersCanRead() throws {
        let path = directory + "/key.pem"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(SigningKeyPEM.pem(AnswerSigningKey()).utf8)))
        for bad in [0o644, 0o640, 0o604, 0o660] {
            chmod(path, mode_t(bad))
            XCTAssertThrowsError(try SigningKeyFile.load(path: path), String(bad, radix: 8)) { error in
                XCTAssertEqual(error as? SigningKeyFile.Failure, .readableByOthers(path: path, mode: UInt16(bad)))
                XCTAssertTrue("\(error)".contains("chmod 600"), "\(error)")
            }
        }
        chmod(path, 0o400)
        XCTAssertNoThrow(try SigningKeyFile.load(path: path))
    }

    func testReadsAKeyMadeByOpenSSL() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/signing/openssl-ed25519.pem")
        let path = directory + "/openssl.pem"
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        chmod(path, 0o600)
        let key = try SigningKeyFile.load(path: path)
        XCTAssertEqual(key.publicKey.hex, "c025677b5bf2a5f8862a585af25d724550d8e83e1071ced578fa94ce9c5af4ae")
    }

    func testGarbageAndMissingFilesAreClearErrors() throws {
        let path = directory + "/garbage.pem"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("hello".utf8),
                                                    attributes: [.posixPermissions: 0o600]))
        XCTAssertThrowsError(try SigningKeyFile.load(path: path)) { error in
            XCTAssertEqual(error as? SigningKeyFile.Failure, .invalid(path: path, reason: .notPEM(expected: "PRIVATE KEY")))
        }
        XCTAssertThrowsError(try SigningKeyFile.load(path: directory + "/absent.pem")) { error in
            XCTAssertEqual(error as? SigningKeyFile.Failure, .cannotRead(path: directory + "/absent.pem", errno: ENOENT))
        }
        XCTAssertThrowsError(try SigningKeyFile.load(path: directory)) { error in
            XCTAssertEqual(error as? SigningKeyFile.Failure, .notRegularFile(path: directory))
        }
        let large = directory + "/large.pem"
        XCTAssertTrue(FileManager.default.createFile(atPath: large, contents: Data(repeating: 0x41, count: 4097),
                                                    attributes: [.posixPermissions: 0o600]))
        XCTAssertThrowsError(try SigningKeyFile.load(path: large)) { error in
            XCTAssertEqual(error as? SigningKeyFile.Failure, .tooLarge(path: large, byteCount: 4097))
        }
    }

    func testConfigNamesTheKeyFile() throws {
        let config = try ConfigLoader.parse(Data(#"{"signing_key_file": "/etc/facematch/signing-key.pem"}"#.utf8))
        XCTAssertEqual(config.signingKeyFile, "/etc/facematch/signing-key.pem")
        XCTAssertNil(try ConfigLoader.parse(Data("{}".utf8)).signingKeyFile)
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"signing_key_file": ""}"#.utf8)))
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"signing_keyfile": "x"}"#.utf8))) { error in
            XCTAssertEqual(error as? ConfigError, .unknownKey(path: "signing_keyfile"))
        }
    }
}
