import FaceNet
import Foundation
import XCTest
@testable import MatchRPC

/// Quality warnings and risk actions on the fixture photos (Tests/Fixtures/faces) with the real
/// engine, through the policy and through the service.
final class RiskActionsFixtureTests: XCTestCase {
    private static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private static let engine = Result { try FacePipelineEngine(modelsDirectory: repo.appendingPathComponent("models").path) }

    private let service = MatchService(store: InMemoryStore())
    private let lenient = Application(id: "lenient", keyDigest: APIKeyDigest(key: "l"), model: .dlib)

    private func analyzer() throws -> any FaceAnalyzing {
        try Self.engine.get().makeAnalyzer()
    }

    private func photo(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.repo.appendingPathComponent("Tests/Fixtures/faces/\(name)")))
    }

    private func strict(_ actions: [Risk: RiskAction]) throws -> Application {
        Application(id: "strict", keyDigest: APIKeyDigest(key: "s"), riskActions: try RiskActions(actions), model: .dlib)
    }

    func testSecondFaceInTheSourceFollowsTheApplicationsAction() throws {
        let analyzer = try analyzer()
        let source = try photo("two_people.jpg"), target = try photo("obama3.jpg")
        let informed = try service.compare(source: source, target: target, for: lenient, analyzers: .uniform(analyzer))
        XCTAssertEqual(informed.status, .approved, "score \(informed.score)")
        let multiple = informed.warnings.first { $0.risk == .multipleFacesDetected }
        XCTAssertEqual(multiple?.longDescription, "2 faces were found in the source image; the largest one was used.")
        let reviewed = try service.compare(source: source, target: target, for: try strict([.multipleFacesDetected: .review]),
                                           analyzers: .uniform(analyzer))
        XCTAssertEqual(reviewed.status, .inReview)
        XCTAssertEqual(reviewed.score, informed.score, accuracy: 1e-9)
        let declined = try service.compare(source: source, target: target, for: try strict([.multipleFacesDetected: .decline]),
                                           analyzers: .uniform(analyzer))
        XCTAssertEqual(declined.status, .declined)
    }

    func testFaceCutByTheBorderIsLowQualityAndCanDecline() throws {
        let analyzer = try analyzer()
        let source = try photo("obama.jpg"), target = try photo("obama_partial_face.jpg")
        let informed = try service.compare(source: source, target: target, for: lenient, analyzers: .uniform(analyzer))
        let low = informed.warnings.filter { $0.risk == .lowQuality }
        XCTAssertEqual(low.count, 1)
        XCTAssertTrue(low.first?.longDescription.contains("reference image is face cut by the image border") ?? false,
                      low.first?.longDescription ?? "no LOW_QUALITY")
        XCTAssertEqual(informed.status, MatchPolicy().status(forScore: informed.score), "inform leaves the status to the score")
        let declined = try service.compare(source: source, target: target, for: try strict([.lowQuality: .decline]), analyzers: .uniform(analyzer))
        XCTAssertEqual(declined.status, .declined)
    }

    func testFrontalPhotosRaiseNoQualityWarning() throws {
        let analyzer = try analyzer()
        for name in ["obama.jpg", "obama2.jpg", "obama3.jpg", "obama_small.jpg", "biden.jpg", "biden2.jpg", "astronaut.png"] {
            let analysis = try analyzer.analyze(imageBytes: try photo(name))
            let face = try XCTUnwrap(analysis.faces.first, name)
            XCTAssertNotNil(face.quality, name)
            XCTAssertEqual(QualityLimits.default.warnings(for: face, image: "source").map(\.risk), [], name)
        }
    }

    func testFaceTooSmallThroughThePolicyMeasuresTheEyesInOriginalPixels() throws {
        let analyzer = try analyzer()
        let small = try analyzer.analyze(imageBytes: try photo("obama_small.jpg"))
        let large = try analyzer.analyze(imageBytes: try photo("obama.jpg"))
        let eyes = try XCTUnwrap(small.faces.first?.quality?.eyeDistance)
        XCTAssertEqual(eyes, 48.5, accuracy: 2, "obama_small.jpg is 320x240 with the eyes about 48 px apart")
        var limits = QualityLimits.default
        limits.minimumEyeDistance = 60
        let policy = MatchPolicy(riskActions: try RiskActions([.faceTooSmall: .review]), quality: limits)
        let report = policy.compare(source: small, target: large)
        XCTAssertEqual(report.warnings.map(\.risk), [.faceTooSmall])
        XCTAssertTrue(report.warnings.first?.longDescription.contains("source image are \(Int(eyes.rounded())) px apart, below the 60 px") ?? false)
        XCTAssertEqual(report.status, .inReview)
        XCTAssertEqual(policy.compare(source: large, target: large).warnings.map(\.risk), [])
    }
}
