import Foundation
import MatchClient
import XCTest
@testable import MatchRPC

/// Both model families loaded once in one server, each application running its own model over
/// loopback with the real engines and per-model stores; and a migration from dlib to 0095
/// without stored images.
final class TwoModelEndToEndTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func fixture(_ name: String) throws -> [UInt8] { try RealModelServer.fixture(name) }

    func testEachApplicationRunsItsOwnModel() async throws {
        let registry = ApplicationRegistry([
            Application(id: "old", keyDigest: APIKeyDigest(key: "old-key"), model: .dlib),
            Application(id: "new", keyDigest: APIKeyDigest(key: "new-key"), model: .reidentification0095),
        ])
        let server = try await RealModelServer.start(registry: registry, dataDirectory: directory)
        let dlib = try await MatchClient.connect(host: "127.0.0.1", port: server.port, apiKey: "old-key")
        let reid = try await MatchClient.connect(host: "127.0.0.1", port: server.port, apiKey: "new-key")

        let same = try await reid.compare(source: try fixture("obama.jpg"), target: try fixture("obama2.jpg"))
        XCTAssertEqual(same.status, .approved, "\(same.score)")
        XCTAssertEqual(same.info.modelID, FaceModelID.reidentification0095.rawValue)
        XCTAssertEqual(same.sourceFace?.landmarks.count, 5)
        let different = try await reid.compare(source: try fixture("obama.jpg"), target: try fixture("biden.jpg"))
        XCTAssertEqual(different.status, .declined, "\(different.score)")
        let noFace = try await reid.compare(source: try fixture("coffee.png"), target: try fixture("obama.jpg"))
        XCTAssertEqual(noFace.warnings.first?.risk, "NO_FACE_DETECTED")
        let dlibSame = try await dlib.compare(source: try fixture("obama.jpg"), target: try fixture("obama2.jpg"))
        XCTAssertEqual(dlibSame.info.modelID, FaceModelID.dlib.rawValue)
        XCTAssertNotEqual(dlibSame.distance, same.distance, "each application's own model computed its distance")

        let enrolled = try await reid.enroll(subject: "p44", image: try fixture("obama.jpg"))
        XCTAssertTrue(enrolled.enrolled)
        let genuine = try await reid.verify(subject: "p44", image: try fixture("obama3.jpg")).status
        XCTAssertEqual(genuine, .approved)
        let impostorStatus = try await reid.verify(subject: "p44", image: try fixture("biden2.jpg")).status
        XCTAssertEqual(impostorStatus, .declined)
        let found = try await reid.identify(image: try fixture("obama2.jpg"), topK: 5, minScore: 50)
        XCTAssertEqual(found.candidates.map(\.subjectID), ["p44"])
        XCTAssertEqual(found.info.modelID, FaceModelID.reidentification0095.rawValue)
        let health = try await reid.health()
        XCTAssertEqual(health.modelID, FaceModelID.reidentification0095.rawValue)
        XCTAssertEqual(health.subjects, 1)
        XCTAssertEqual(health.previousModelID, "")

        // The 0095 template went to that model's own store, in its own directory, 256-d.
        let reidDirectory = LocalStoreLayout.directory(for: .reidentification0095, dataDirectory: directory)
        XCTAssertTrue(FileManager.default.fileExists(atPath: reidDirectory + "/namespaces/new"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/namespaces/new"))
        let dlibSubjects = try await dlib.health().subjects
        XCTAssertEqual(dlibSubjects, 0)

        _ = try await reid.deleteEnrollment(subject: "p44")
        let afterDelete = try await reid.verify(subject: "p44", image: try fixture("obama3.jpg")).warnings.first?.risk
        XCTAssertEqual(afterDelete,
                       "NO_REFERENCE_IMAGE")
        await dlib.close()
        await reid.close()
        await server.shutdown()
    }

    /// An application enrolled with dlib switches to 0095 with `previous_model` dlib (a SIGHUP
    /// reload): its subjects wait until a Verify, decided with their dlib templates, is Approved
    /// and enrols their 0095 template from the same probe.
    func testVerifyMigratesASubjectFromThePreviousModel() async throws {
        let key = APIKeyDigest(key: "bank-key")
        let registry = ApplicationRegistry([Application(id: "bank", keyDigest: key, model: .dlib)])
        let server = try await RealModelServer.start(registry: registry, dataDirectory: directory)
        let client = try await MatchClient.connect(host: "127.0.0.1", port: server.port, apiKey: "bank-key")
        _ = try await client.enroll(subject: "p44", image: try fixture("obama.jpg"))
        _ = try await client.enroll(subject: "p46", image: try fixture("biden.jpg"))

        registry.replace(with: [Application(id: "bank", keyDigest: key, model: .reidentification0095, previousModel: .dlib)])
        let before = try await client.health()
        XCTAssertEqual(before.modelID, FaceModelID.reidentification0095.rawValue)
        XCTAssertEqual(before.previousModelID, FaceModelID.dlib.rawValue)
        XCTAssertEqual(before.migrationWaitingSubjects, 2)
        let waitingFound = try await client.identify(image: try fixture("obama2.jpg")).candidates.count
        XCTAssertEqual(waitingFound, 0,
                       "Identify searches the application's model only")

        let impostor = try await client.verify(subject: "p44", image: try fixture("biden2.jpg"))
        XCTAssertEqual(impostor.status, .declined)
        XCTAssertEqual(impostor.info.modelID, FaceModelID.dlib.rawValue, "decided with the previous model")
        XCTAssertFalse(impostor.warnings.contains { $0.risk == "TEMPLATE_MIGRATED" })
        let stillWaiting = try await client.health().migrationWaitingSubjects
        XCTAssertEqual(stillWaiting, 2, "a declined probe enrols nothing")

        let migrated = try await client.verify(subject: "p44", image: try fixture("obama3.jpg"))
        XCTAssertEqual(migrated.status, .approved, "\(migrated.score)")
        XCTAssertEqual(migrated.info.modelID, FaceModelID.dlib.rawValue)
        XCTAssertEqual(migrated.warnings.last?.risk, "TEMPLATE_MIGRATED")
        XCTAssertEqual(migrated.warnings.last?.logType, "information")
        let waitingAfter = try await client.health().migrationWaitingSubjects
        XCTAssertEqual(waitingAfter, 1)

        let next = try await client.verify(subject: "p44", image: try fixture("obama2.jpg"))
        XCTAssertEqual(next.status, .approved, "\(next.score)")
        XCTAssertEqual(next.info.modelID, FaceModelID.reidentification0095.rawValue, "now decided with its 0095 template")
        XCTAssertFalse(next.warnings.contains { $0.risk == "TEMPLATE_MIGRATED" })
        let migratedFound = try await client.identify(image: try fixture("obama2.jpg")).candidates.map(\.subjectID)
        XCTAssertEqual(migratedFound, ["p44"])

        // Delete erases the subject's templates of both models.
        _ = try await client.deleteEnrollment(subject: "p44")
        let gone = try await client.verify(subject: "p44", image: try fixture("obama3.jpg"))
        XCTAssertEqual(gone.warnings.first?.risk, "NO_REFERENCE_IMAGE")
        await client.close()
        await server.shutdown()
    }
}
