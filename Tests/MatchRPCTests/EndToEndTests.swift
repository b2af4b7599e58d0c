import EmbeddingStore
import FaceNet
import Foundation
import Logging
import MatchClient
import Wire
import XCTest
@testable import MatchRPC

/// The real engine (dlib models) and the real store behind the server, over loopback, driven by
/// the client library: the product as a caller sees it.
final class EndToEndTests: XCTestCase {
    private static let key = "e2e-key"

    private func fixture(_ name: String) throws -> [UInt8] { try RealModelServer.fixture(name) }

    private func startServer(directory: String) async throws -> MatchServer {
        try await RealModelServer.start(
            registry: ApplicationRegistry([Application(id: "e2e", keyDigest: APIKeyDigest(key: Self.key), model: .dlib)]),
            dataDirectory: directory)
    }

    func testCompareEnrollVerifyIdentifyDeleteWithTheRealEngine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await startServer(directory: directory)
        let client = try await MatchClient.connect(host: "127.0.0.1", port: server.port, apiKey: Self.key)

        let same = try await client.compare(source: try fixture("obama.jpg"), target: try fixture("obama2.jpg"))
        XCTAssertEqual(same.status, .approved, "\(same.score)")
        XCTAssertLessThan(same.distance ?? 2, ScoreCalibration.dlib.boundary)
        XCTAssertEqual(same.sourceFace?.landmarks.count, 5)
        let different = try await client.compare(source: try fixture("obama.jpg"), target: try fixture("biden.jpg"))
        XCTAssertEqual(different.status, .declined, "\(different.score)")
        XCTAssertGreaterThan(different.distance ?? 0, ScoreCalibration.dlib.boundary)
        let noFace = try await client.compare(source: try fixture("coffee.png"), target: try fixture("obama.jpg"))
        XCTAssertEqual(noFace.warnings.first?.risk, "NO_FACE_DETECTED")
        do {
            _ = try await client.compare(source: Array("not an image".utf8), target: try fixture("obama.jpg"))
            XCTFail("a non-image must be refused")
        } catch let error as MatchClientError {
            XCTAssertEqual(error.code, .invalidArgument)
        }

        let enrolled = try await client.enroll(subject: "president-44", image: try fixture("obama.jpg"))
        XCTAssertTrue(enrolled.enrolled)
        let verified = try await client.verify(subject: "president-44", image: try fixture("obama3.jpg"))
        XCTAssertEqual(verified.status, .approved, "\(verified.score)")
        let impostor = try await client.verify(subject: "president-44", image: try fixture("biden2.jpg"))
        XCTAssertEqual(impostor.status, .declined)
        let found = try await client.identify(image: try fixture("obama2.jpg"), topK: 5, minScore: 50)
        XCTAssertEqual(found.candidates.first?.subjectID, "president-44")
        _ = try await client.deleteEnrollment(subject: "president-44")
        let after = try await client.verify(subject: "president-44", image: try fixture("obama3.jpg"))
        XCTAssertEqual(after.status, .declined)
        XCTAssertEqual(after.warnings.first?.risk, "NO_REFERENCE_IMAGE")

        await client.close()
        await server.shutdown()
    }
}
