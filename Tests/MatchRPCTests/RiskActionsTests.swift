import FaceNet
import XCTest
@testable import MatchRPC

/// FACE_TOO_SMALL and LOW_QUALITY from the quality measures, and what each application's
/// `risk_actions` does to the status.
final class RiskActionsTests: XCTestCase {
    private func face(_ axis: Int, offset: Float = 0, quality: FaceQuality = .fake(eyeDistance: 80)) -> AnalyzedFace {
        FakeAnalyzer.face(axis: axis, offset: offset, width: 200, quality: quality)
    }

    private func analysis(_ faces: AnalyzedFace...) -> FaceAnalysis {
        FaceAnalysis(width: 640, height: 480, faces: faces)
    }

    func testFaceTooSmallComesFromTheEyeDistance() {
        let policy = MatchPolicy()
        let small = policy.compare(source: analysis(face(1, quality: .fake(eyeDistance: 20))), target: analysis(face(1, offset: 0.1)))
        let warning = small.warnings.first { $0.risk == .faceTooSmall }
        XCTAssertEqual(warning?.logType, .warning)
        XCTAssertTrue(warning?.longDescription.contains("source image are 20 px apart") ?? false, warning?.longDescription ?? "none")
        let limit = QualityLimits.default.minimumEyeDistance
        let atLimit = policy.compare(source: analysis(face(1, quality: .fake(eyeDistance: limit))), target: analysis(face(1)))
        XCTAssertFalse(atLimit.warnings.contains { $0.risk == .faceTooSmall })
        let unmeasured = AnalyzedFace(box: FaceBox(left: 0, top: 0, right: 9, bottom: 9), confidence: 1, landmarks: [],
                                      embedding: face(1).embedding)
        XCTAssertTrue(policy.compare(source: analysis(unmeasured), target: analysis(face(1))).warnings.isEmpty)
    }

    func testLowQualityIsOneWarningNamingEveryReason() {
        let limits = QualityLimits.default
        var poor = FaceQuality.fake(eyeDistance: 80)
        poor.sharpness = limits.minimumSharpness / 2
        poor.brightness = limits.brightness.lowerBound - 10
        poor.yawDegrees = -(limits.maximumYaw + 10)
        poor.rollDegrees = limits.maximumRoll + 5
        poor.outsideFraction = limits.maximumOutsideFraction + 0.1
        let report = MatchPolicy().compare(source: analysis(face(1)), target: analysis(face(1, quality: poor)))
        let low = report.warnings.filter { $0.risk == .lowQuality }
        XCTAssertEqual(low.count, 1)
        let text = low.first?.longDescription ?? ""
        for reason in ["reference image", "blurred", "under-exposed", "turned sideways", "tilted", "cut by the image border"] {
            XCTAssertTrue(text.contains(reason), "\(reason) missing from: \(text)")
        }
        var bright = FaceQuality.fake(eyeDistance: 80)
        bright.brightFraction = limits.maximumClippedFraction + 0.1
        let over = MatchPolicy().compare(source: analysis(face(1, quality: bright)), target: analysis(face(1)))
        XCTAssertTrue(over.warnings.first { $0.risk == .lowQuality }?.longDescription.contains("over-exposed") ?? false)
        XCTAssertTrue(MatchPolicy().compare(source: analysis(face(1)), target: analysis(face(1))).warnings.isEmpty)
    }

    func testEachActionSetsTheStatusOfAnOtherwiseApprovedMatch() throws {
        let source = analysis(face(1), face(40))
        let target = analysis(face(1, offset: 0.2))
        let expected: [RiskAction: MatchStatus] = [.inform: .approved, .review: .inReview, .decline: .declined]
        for (action, status) in expected {
            let policy = MatchPolicy(riskActions: try RiskActions([.multipleFacesDetected: action]))
            let report = policy.compare(source: source, target: target)
            XCTAssertEqual(report.status, status, "\(action)")
            XCTAssertEqual(report.score, ScoreCalibration.of(.serviceDefault).score(distance: 0.2), accuracy: 1e-4, "the score is reported whatever the action")
            XCTAssertTrue(report.warnings.contains { $0.risk == .multipleFacesDetected && $0.longDescription.hasPrefix("2 faces were found in the source image") })
        }
    }

    func testTheMostSevereOutcomeWins() throws {
        let actions = try RiskActions([.faceTooSmall: .review, .lowQuality: .decline, .multipleFacesDetected: .review])
        let policy = MatchPolicy(riskActions: actions)
        var blurred = FaceQuality.fake(eyeDistance: 80)
        blurred.sharpness = 0
        let small = FaceQuality.fake(eyeDistance: 10)
        // Review does not lift a score that declines.
        XCTAssertEqual(policy.compare(source: analysis(face(1, quality: small)), target: analysis(face(9))).status, .declined)
        // Review and decline together decline.
        XCTAssertEqual(policy.compare(source: analysis(face(1, quality: small)), target: analysis(face(1, quality: blurred))).status, .declined)
        // Review alone on an approved score: In Review, with LOW_FACE_MATCH_SIMILARITY absent (the score passed).
        let reviewed = policy.compare(source: analysis(face(1, quality: small)), target: analysis(face(1)))
        XCTAssertEqual(reviewed.status, .inReview)
        XCTAssertFalse(reviewed.warnings.contains { $0.risk == .lowFaceMatchSimilarity })
    }

    func testMissingReferenceDeclinesWhateverTheActions() throws {
        let lenient = MatchPolicy(thresholds: Thresholds(review: 0, decline: 0), riskActions: RiskActions.default)
        XCTAssertEqual(lenient.compare(source: analysis(face(1)), target: analysis()).status, .declined)
        XCTAssertEqual(lenient.verify(source: analysis(face(1)), bestDistance: nil).status, .declined)
        XCTAssertThrowsError(try RiskActions([.noReferenceImage: .inform])) {
            XCTAssertEqual($0 as? RiskActionsError, .notConfigurable(.noReferenceImage))
        }
        XCTAssertThrowsError(try RiskActions([.lowFaceMatchSimilarity: .decline]))
    }

    func testVerifyAppliesTheActionsToTheProbe() throws {
        let policy = MatchPolicy(riskActions: try RiskActions([.lowQuality: .review]))
        var dark = FaceQuality.fake(eyeDistance: 80)
        dark.brightness = 5
        let report = policy.verify(source: analysis(face(1, quality: dark)), bestDistance: 0.2)
        XCTAssertEqual(report.status, .inReview)
        XCTAssertEqual(report.warnings.map(\.risk), [.lowQuality])
    }
}
