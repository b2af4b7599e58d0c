@testable import EmbeddingStore
import Foundation
import XCTest
@testable import facematch

/// The master key of every store these tests open (fixed, so reopening finds the same key).
let testMasterKey = MasterKey(bytes: Array(repeating: 0x5a, count: 32))!

/// `facematch store check|compact` on real store directories, through the binary.
final class StoreCommandTests: XCTestCase {
    private var directory = ""
    private var keyFile = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "fm-store-cli-\(UUID().uuidString)"
        keyFile = directory + "-master.key"
        XCTAssertTrue(FileManager.default.createFile(atPath: keyFile, contents: Data(repeating: 0x5a, count: 32),
                                                     attributes: [.posixPermissions: 0o600]))
        let store = try EmbeddingStore.open(directory: directory, dimension: 4, modelID: "test-model", options: StoreOptions(masterKey: testMasterKey))
        for i in 0..<6 {
            try store.enroll(namespace: "app", subject: "s\(i)", vector: [Float(i), 1, 0, 0].map { $0 / Float(i * i + 1).squareRoot() })
        }
        XCTAssertTrue(try store.delete(namespace: "app", subject: "s0"))
    }

    override func tearDown() {
        for path in [directory, keyFile, directory + "-new.key"] { try? FileManager.default.removeItem(atPath: path) }
    }

    private func report(_ result: CLIProcess.Result) throws -> StoreReport {
        try CLIOutput.decoder().decode(StoreReport.self, from: result.output)
    }

    func testCheckOfAnIntactStoreIsCleanWithExitZero() throws {
        let result = try CLIProcess.run(["store", "check", "--data-dir", directory, "--master-key-file", keyFile])
        XCTAssertEqual(result.status, 0, result.text)
        let checked = try report(result)
        XCTAssertTrue(checked.clean)
        XCTAssertEqual(checked.modelId, "test-model")
        XCTAssertEqual(checked.dimension, 4)
        XCTAssertEqual(checked.namespaces.map(\.name), ["app"])
        XCTAssertEqual(checked.namespaces.first?.templates, 5)
        XCTAssertEqual(checked.namespaces.first?.checkedTemplates, 5)
        XCTAssertEqual(checked.namespaces.first?.damagedTemplateSlots, [])
    }

    func testCheckReportsADamagedVectorWithExitOne() throws {
        // Flip a bit in the sealed vector of slot 3 (subject s3; s0's slot 0 is erased).
        let slab = directory + "/namespaces/app/slab.1"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: slab)))
        bytes[SlabFormat(dimension: 4).sealedOffset(3) + 20] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: slab))

        let result = try CLIProcess.run(["store", "check", "--data-dir", directory, "--master-key-file", keyFile])
        XCTAssertEqual(result.status, 1, result.text)
        let checked = try report(result)
        XCTAssertFalse(checked.clean)
        XCTAssertEqual(checked.namespaces.first?.damagedTemplateSlots, [3])
    }

    func testCompactReclaimsErasedSlotsAndKeepsTheRest() throws {
        let result = try CLIProcess.run(["store", "compact", "--data-dir", directory, "--master-key-file", keyFile])
        XCTAssertEqual(result.status, 0, result.text)
        let compacted = try XCTUnwrap(try report(result).namespaces.first)
        XCTAssertEqual(compacted.templatesKept, 5)
        XCTAssertEqual(compacted.slotsReclaimed, 1)
        XCTAssertEqual(compacted.damagedTemplatesDropped, 0)
        let reopened = try EmbeddingStore.open(directory: directory, dimension: 4, modelID: "test-model", options: StoreOptions(masterKey: testMasterKey))
        XCTAssertEqual(try reopened.stats(namespace: "app").slots, 5)
        XCTAssertEqual(try reopened.listSubjects(namespace: "app", limit: 10), ["s1", "s2", "s3", "s4", "s5"])
    }

    func testADirectoryWithoutAStoreIsRefused() throws {
        let empty = NSTemporaryDirectory() + "fm-no-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let result = try CLIProcess.run(["store", "check", "--data-dir", empty])
        XCTAssertEqual(result.status, 1)
        let failure = try CLIOutput.decoder().decode(Output.Failure.self, from: result.output)
        XCTAssertEqual(failure.error.name, "FAILED_PRECONDITION")
        XCTAssertFalse(FileManager.default.fileExists(atPath: empty), "check must not create a store")
    }

    /// A serving process holds the data directory's lock; the tools refuse to touch the store.
    func testAStoreInUseIsRefused() throws {
        try DataDirectoryLock.holdUntilExit(directory)
        let result = try CLIProcess.run(["store", "compact", "--data-dir", directory, "--master-key-file", keyFile])
        XCTAssertEqual(result.status, 1)
        let failure = try CLIOutput.decoder().decode(Output.Failure.self, from: result.output)
        XCTAssertTrue(failure.error.message.contains("in use"), failure.error.message)
    }

    func testRotateMasterKeyRewrapsTheStoreAndTheOldKeyNoLongerOpensIt() throws {
        let newKeyFile = directory + "-new.key"
        let result = try CLIProcess.run(["rotate-master-key", "--data", directory, "--master-key-file", keyFile,
                                         "--new-master-key-file", newKeyFile])
        XCTAssertEqual(result.status, 0, result.text)
        XCTAssertTrue(result.text.contains("\"data_keys\" : 5"), result.text)
        let mode = try FileManager.default.attributesOfItem(atPath: newKeyFile)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)

        let withNew = try CLIProcess.run(["store", "check", "--data-dir", directory, "--master-key-file", newKeyFile])
        XCTAssertEqual(withNew.status, 0, withNew.text)
        XCTAssertEqual(try report(withNew).namespaces.first?.checkedTemplates, 5)
        let withOld = try CLIProcess.run(["store", "check", "--data-dir", directory, "--master-key-file", keyFile])
        XCTAssertEqual(withOld.status, 1)
        let failure = try CLIOutput.decoder().decode(Output.Failure.self, from: withOld.output)
        XCTAssertTrue(failure.error.message.contains("wrapped under master key"), failure.error.message)
    }

    func testAGroupReadableKeyFileIsRefused() throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: keyFile)
        let result = try CLIProcess.run(["store", "check", "--data-dir", directory, "--master-key-file", keyFile])
        XCTAssertEqual(result.status, 1)
        let failure = try CLIOutput.decoder().decode(Output.Failure.self, from: result.output)
        XCTAssertTrue(failure.error.message.contains("chmod 600"), failure.error.message)
    }
}
