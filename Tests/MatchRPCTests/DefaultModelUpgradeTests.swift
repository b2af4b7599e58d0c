import Foundation
import Logging
import XCTest
@testable import MatchRPC

/// face-reidentification-retail-0095 is the default model; an application that names no `model`
/// while its namespace holds dlib templates (enrolled when dlib was the default) is refused at
/// start and on reload instead of silently losing them (`DefaultModelUpgrade`).
final class DefaultModelUpgradeTests: XCTestCase {
    private var directory = ""
    private let digest = APIKeyDigest(key: "k").hex
    private let dlib = FaceModelID.dlib.rawValue
    private let reid = FaceModelID.reidentification0095.rawValue

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The applications of a config whose entries add `extras` (one per application, ids a, b, …).
    private func applications(_ extras: [String: String]) throws -> [Application] {
        let entries = extras.keys.sorted().map { #"{"id": "\#($0)", "api_key_sha256": "\#(digest)"\#(extras[$0]!)}"# }
        return try XCTUnwrap(ConfigLoader.parse(Data(#"{"applications": [\#(entries.joined(separator: ", "))]}"#.utf8)).applications)
    }

    /// The real per-model stores of a data directory, with `templates` dlib templates already
    /// enrolled in each of `namespaces` (what a dlib-only release left there).
    private func upgradedStores(dlibNamespaces namespaces: [String], templates: Int = 2) throws -> ModelStores {
        let stores = try RealModelServer.stores(dataDirectory: directory)
        for namespace in namespaces {
            for i in 0..<templates {
                let vector = (0..<128).map { Float($0 == i ? 1 : 0) }
                _ = try stores.store(for: .dlib).enroll(namespace: namespace, subject: "p\(i)", vector: vector, vendorData: [],
                                                        mode: .append)
            }
        }
        return stores
    }

    func testTheDefaultIsReidentification0095AndAnApplicationRemembersWhetherItNamedItsModel() throws {
        XCTAssertEqual(FaceModelID.serviceDefault, .reidentification0095)
        let apps = try applications(["a": "", "b": #", "model": "\#(reid)""#, "c": #", "model": "\#(dlib)""#])
        XCTAssertEqual(apps.map(\.model), [.reidentification0095, .reidentification0095, .dlib])
        XCTAssertEqual(apps.map(\.modelIsExplicit), [false, true, true])
    }

    func testAnApplicationWithoutModelOverDlibTemplatesIsRefusedNamingItAndBothWaysOut() throws {
        let stores = try upgradedStores(dlibNamespaces: ["b"], templates: 3)
        let apps = try applications(["a": #", "model": "\#(dlib)""#, "b": ""])
        XCTAssertThrowsError(try DefaultModelUpgrade.check(apps, stores: stores)) { error in
            guard case .invalidApplication(1, let reason) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains(#"application "b" names no model"#), reason)
            XCTAssertTrue(reason.contains("holds 3 \(dlib) template(s)"), reason)
            XCTAssertTrue(reason.contains(#""model": "\#(dlib)" keeps them"#), reason)
            XCTAssertTrue(reason.contains(#""model": "\#(reid)", "previous_model": "\#(dlib)" migrates"#), reason)
            XCTAssertTrue("\(error)".hasPrefix("applications[1]: "), "\(error)")
        }
        XCTAssertEqual(try DefaultModelUpgrade.stranded(apps, stores: stores),
                       [.init(application: "b", index: 1, model: .dlib, templates: 3)])
    }

    func testNamingDlibKeepsItsTemplatesAndStarts() throws {
        let stores = try upgradedStores(dlibNamespaces: ["a"])
        let apps = try applications(["a": #", "model": "\#(dlib)""#])
        XCTAssertNoThrow(try DefaultModelUpgrade.check(apps, stores: stores))
        XCTAssertEqual(apps.first?.model, .dlib)
        XCTAssertEqual(try stores.store(for: .dlib).stats(namespace: "a").vectors, 2, "the check counts, it changes nothing")
    }

    func testNamingTheMigrationStartsAndVerifyMigratesTheSubject() throws {
        // With `previous_model` the dlib templates stay reachable, whether `model` is written or left to the default.
        let stranding = try upgradedStores(dlibNamespaces: ["a", "b"])
        let named = try applications(["a": #", "model": "\#(reid)", "previous_model": "\#(dlib)""#,
                                      "b": #", "previous_model": "\#(dlib)""#])
        XCTAssertNoThrow(try DefaultModelUpgrade.check(named, stores: stranding))
        XCTAssertEqual(named.map(\.models), [[.reidentification0095, .dlib], [.reidentification0095, .dlib]])

        // Migration itself, over the stores' protocol (the fake engine stands in for both models).
        let old = InMemoryStore(), new = InMemoryStore()
        let stores = ModelStores([.dlib: old, .reidentification0095: new])
        let face = FakeAnalyzer.face(axis: 4, offset: 0, width: 200).embedding
        _ = try old.enroll(namespace: "a", subject: "alice", vector: face, vendorData: [], mode: .append)
        XCTAssertThrowsError(try DefaultModelUpgrade.check(try applications(["a": ""]), stores: stores))
        let migrating = try XCTUnwrap(named.first)
        XCTAssertNoThrow(try DefaultModelUpgrade.check([migrating], stores: stores))
        let report = try MatchService(stores: stores).verify(subject: "alice", image: Array("face:4:0.1".utf8), for: migrating,
                                                             analyzers: .uniform(FakeAnalyzer(gate: nil)))
        XCTAssertEqual(report.status, .approved)
        XCTAssertEqual(report.warnings.last?.risk, .templateMigrated)
        XCTAssertEqual(try new.enrollmentCount(namespace: "a", subject: "alice"), 1)
    }

    func testAFreshInstallRunsTheNewDefault() throws {
        // No templates at all, 0095 templates only, or dlib templates of another application only.
        let stores = try upgradedStores(dlibNamespaces: ["other"])
        let unit = (0..<256).map { Float($0 == 0 ? 1 : 0) }
        _ = try stores.store(for: .reidentification0095).enroll(namespace: "b", subject: "bob", vector: unit, vendorData: [],
                                                                 mode: .append)
        let apps = try applications(["a": "", "b": ""])
        XCTAssertNoThrow(try DefaultModelUpgrade.check(apps, stores: stores))
        XCTAssertEqual(apps.map(\.model), [.reidentification0095, .reidentification0095])
        XCTAssertEqual(try DefaultModelUpgrade.stranded(apps, stores: stores), [])
        XCTAssertEqual(try stores.store(for: .dlib).stats(namespace: "a").subjects, 0)
    }

    func testAReloadAddingAStrandedApplicationIsRefusedAndKeepsTheRunningSet() throws {
        let stores = try upgradedStores(dlibNamespaces: ["b"])
        let path = directory + "-config.json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let running = try applications(["a": ""])
        let registry = ApplicationRegistry(running)
        let reloader = ConfigReloader(path: path, registry: registry, logger: Logger(label: "t"),
                                      check: { applications throws(ConfigError) in
                                          try DefaultModelUpgrade.check(applications, stores: stores)
                                      })
        let write = { (entries: String) in
            try Data(#"{"applications": [{"id": "a", "api_key_sha256": "\#(self.digest)"}, \#(entries)]}"#.utf8)
                .write(to: URL(fileURLWithPath: path))
        }
        try write(#"{"id": "b", "api_key_sha256": "\#(digest)"}"#)
        guard case .failure(.invalidApplication(1, let reason)) = reloader.reload() else { return XCTFail("reload must be refused") }
        XCTAssertTrue(reason.contains(#"application "b" names no model"#), reason)
        XCTAssertEqual(registry.all, running, "the running applications stay")

        try write(#"{"id": "b", "api_key_sha256": "\#(digest)", "model": "\#(dlib)"}"#)
        XCTAssertEqual(try reloader.reload().get(), 2)
        XCTAssertEqual(registry.all.map(\.model), [.reidentification0095, .dlib])
    }

    func testTheDevelopmentApplicationMigratesFromDlibInsteadOfBeingRefused() throws {
        let dev = Application(id: DevelopmentKey.applicationID, keyDigest: APIKeyDigest(key: "d"))
        let fresh = try DefaultModelUpgrade.migratingImplicitly(dev, stores: try RealModelServer.stores(dataDirectory: directory + "-fresh"))
        defer { try? FileManager.default.removeItem(atPath: directory + "-fresh") }
        XCTAssertEqual(fresh.application, dev)
        XCTAssertNil(fresh.stranded)

        let stores = try upgradedStores(dlibNamespaces: [DevelopmentKey.applicationID])
        let upgraded = try DefaultModelUpgrade.migratingImplicitly(dev, stores: stores)
        XCTAssertEqual(upgraded.application.model, .reidentification0095)
        XCTAssertEqual(upgraded.application.previousModel, .dlib)
        XCTAssertEqual(upgraded.application.keyDigest, dev.keyDigest)
        XCTAssertEqual(upgraded.stranded?.templates, 2)
        XCTAssertNoThrow(try DefaultModelUpgrade.check([upgraded.application], stores: stores))

        let keepsDlib = Application(id: DevelopmentKey.applicationID, keyDigest: APIKeyDigest(key: "d"), model: .dlib)
        XCTAssertEqual(try DefaultModelUpgrade.migratingImplicitly(keepsDlib, stores: stores).application, keepsDlib)
    }

    func testAStoreThatCannotCountRefusesRatherThanPasses() throws {
        let stores = ModelStores([.dlib: UncountableStore(), .reidentification0095: InMemoryStore()])
        XCTAssertThrowsError(try DefaultModelUpgrade.check(try applications(["a": ""]), stores: stores)) { error in
            guard case .invalidSetting("applications", let reason) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("database down"), reason)
        }
        XCTAssertNoThrow(try DefaultModelUpgrade.check(try applications(["a": #", "model": "\#(reid)""#]), stores: stores),
                         "an application that names its model needs no count")
    }
}

/// A store whose database cannot be reached: it cannot say how many templates a namespace holds.
private final class UncountableStore: EnrollmentStoring {
    private var down: ServiceError { .unavailable("database down", retryAfterMillis: 100) }
    func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8], mode: EnrollmentMode) throws -> Int { throw down }
    func bestDistance(namespace: String, subject: String, vector: [Float]) throws -> Double? { throw down }
    func enrollmentCount(namespace: String, subject: String) throws -> Int { throw down }
    func search(namespace: String, vector: [Float], topK: Int, maxDistance: Double) throws -> [StoreHit] { throw down }
    func delete(namespace: String, subject: String) throws -> Bool { throw down }
    func stats(namespace: String?) throws -> EnrollmentStats { throw down }
    func eraseTemplates(namespace: String, enrolledBefore cutoff: Date) throws -> Int { throw down }
    func close() throws {}
}
