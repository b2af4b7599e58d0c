import Foundation
import XCTest
@testable import TemplateCrypto

final class MasterKeyFileTests: XCTestCase {
    private var dir = ""

    override func setUp() {
        dir = NSTemporaryDirectory() + "fm-keys-\(UUID().uuidString)"
        XCTAssertNoThrow(try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true))
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func write(_ bytes: [UInt8], mode: Int, to name: String) throws -> String {
        let path = dir + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    func testCreateMakesA0600FileThatLoadsToTheSameKey() throws {
        let path = dir + "/master.key"
        let created = try MasterKey.create(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, 32)
        let loaded = try MasterKey.load(from: path)
        XCTAssertEqual(loaded.id, created.id)
        let wrapped = created.wrap(DataKey.random(), for: SubjectContext(namespace: "n", subject: "s"))
        XCTAssertNoThrow(try loaded.unwrap(wrapped, for: SubjectContext(namespace: "n", subject: "s")))
    }

    func testCreateRefusesToReplaceAnExistingFile() throws {
        let path = try write(Array(repeating: 7, count: 32), mode: 0o600, to: "existing.key")
        XCTAssertThrowsError(try MasterKey.create(at: path)) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .keyFileIO(path: path, operation: "create", errno: EEXIST))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(Array(repeating: 7, count: 32)))
    }

    func testLoadOrCreateKeepsAnExistingKey() throws {
        let path = dir + "/dev.key"
        let first = try MasterKey.loadOrCreate(at: path)
        XCTAssertEqual(try MasterKey.loadOrCreate(at: path).id, first.id)
    }

    func testWrongLengthIsRefusedWithTheByteCount() throws {
        for count in [0, 31, 33, 64] {
            let path = try write(Array(repeating: 1, count: count), mode: 0o600, to: "k\(count)")
            XCTAssertThrowsError(try MasterKey.load(from: path)) { error in
                XCTAssertEqual(error as? TemplateCryptoError, .keyFileLength(path: path, byteCount: count))
                XCTAssertTrue("\(error)".contains("exactly 32"), "\(error)")
            }
        }
    }

    func testGroupOrWorldAccessibleFileIsRefused() throws {
        for mode in [0o640, 0o604, 0o660, 0o644] {
            let path = try write(Array(repeating: 1, count: 32), mode: mode, to: "m\(mode)")
            XCTAssertThrowsError(try MasterKey.load(from: path)) { error in
                XCTAssertEqual(error as? TemplateCryptoError, .keyFilePermissions(path: path, mode: UInt32(mode)))
                XCTAssertTrue("\(error)".contains("chmod 600"), "\(error)")
            }
        }
        XCTAssertNoThrow(try MasterKey.load(from: try write(Array(repeating: 1, count: 32), mode: 0o400, to: "ok")))
    }

    func testMissingFileAndDirectoryAreClearErrors() {
        XCTAssertThrowsError(try MasterKey.load(from: dir + "/absent")) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .keyFileIO(path: dir + "/absent", operation: "open", errno: ENOENT))
        }
        XCTAssertThrowsError(try MasterKey.load(from: dir)) { error in
            XCTAssertEqual(error as? TemplateCryptoError, .keyFileNotRegular(path: dir))
        }
    }

    func testKeyIDIsStableAndDoesNotContainTheKey() {
        let bytes = (0..<32).map { UInt8($0) }
        let a = MasterKey(bytes: bytes)!
        XCTAssertEqual(a.id, MasterKey(bytes: bytes)!.id)
        XCTAssertNotEqual(a.id, MasterKey.random().id)
        XCTAssertEqual(a.id.bytes.count, 16)
        XCTAssertEqual(a.id.description.count, 32)
        XCTAssertNil(a.id.bytes.firstRange(of: bytes[0..<8]))
        XCTAssertNil(MasterKey(bytes: Array(bytes.prefix(31))))
    }
}
