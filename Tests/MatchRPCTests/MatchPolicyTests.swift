import XCTest
import FaceNet
@testable import MatchRPC

final class MatchPolicyTests: XCTestCase {
    private func face(width: Double, embedding: [Float]) -> AnalyzedFace {
        AnalyzedFace(box: FaceBox(left: 10, top: 10, right: 10 + width - 1, bottom: 10 + width - 1),
                     confidence: 1, landmarks: [], embedding: embedding, quality: .fake(eyeDistance: 0.44 * width))
    }

    private func analysis(_ faces: [AnalyzedFace]) -> FaceAnalysis {
        FaceAnalysis(width: 640, height: 800, faces: faces)
    }

    /// A unit vector along axis 0 and a unit vector at distance `d` from it.
    private func pair(distance d: Float) -> ([Float], [Float]) {
        (FakeAnalyzer.face(axis: 0, offset: 0, width: 1).embedding, FakeAnalyzer.face(axis: 0, offset: d, width: 1).embedding)
    }

    func testScoreIsFiftyAtTheBoundaryAndMonotonic() {
        XCTAssertEqual(ScoreCalibration.dlib.score(distance: ScoreCalibration.dlib.boundary), 50, accuracy: 1e-9)
        XCTAssertGreaterThan(ScoreCalibration.dlib.score(distance: 0.4), ScoreCalibration.dlib.score(distance: 0.5))
        XCTAssertLessThan(ScoreCalibration.dlib.score(distance: 0.9), 50)
        for s in [5.0, 50, 70, 95] {
            XCTAssertEqual(ScoreCalibration.dlib.score(distance: ScoreCalibration.dlib.distance(forScore: s)), s, accuracy: 1e-6)
        }
    }

    func testStatusFollowsThresholds() {
        let policy = MatchPolicy(thresholds: Thresholds(review: 70, decline: 50))
        XCTAssertEqual(policy.status(forScore: 49.9), .declined)
        XCTAssertEqual(policy.status(forScore: 50), .inReview)
        XCTAssertEqual(policy.status(forScore: 69.9), .inReview)
        XCTAssertEqual(policy.status(forScore: 70), .approved)
    }

    func testSamePersonApprovedDifferentDeclined() {
        let policy = MatchPolicy(model: .dlib)
        let (a, near) = pair(distance: 0.3)
        let (_, far) = pair(distance: 0.9)
        let same = policy.compare(source: analysis([face(width: 200, embedding: a)]),
                                  target: analysis([face(width: 200, embedding: near)]))
        XCTAssertEqual(same.status, .approved)
        XCTAssertTrue(same.warnings.isEmpty)
        XCTAssertEqual(same.distance ?? -1, 0.3, accuracy: 1e-6)
        let different = policy.compare(source: analysis([face(width: 200, embedding: a)]),
                                       target: analysis([face(width: 200, embedding: far)]))
        XCTAssertEqual(different.status, .declined)
        XCTAssertEqual(different.warnings.map(\.risk), [.lowFaceMatchSimilarity])
    }

    func testMissingFacesDecline() {
        let policy = MatchPolicy(model: .dlib)
        let (a, b) = pair(distance: 0.1)
        let noSource = policy.compare(source: analysis([]), target: analysis([face(width: 200, embedding: b)]))
        XCTAssertEqual(noSource.status, .declined)
        XCTAssertEqual(noSource.warnings.map(\.risk), [.noFaceDetected])
        let noTarget = policy.compare(source: analysis([face(width: 200, embedding: a)]), target: analysis([]))
        XCTAssertEqual(noTarget.status, .declined)
        XCTAssertEqual(noTarget.warnings.map(\.risk), [.noReferenceImage])
        let noEnrolment = policy.verify(source: analysis([face(width: 200, embedding: a)]), bestDistance: nil)
        XCTAssertEqual(noEnrolment.status, .declined)
        XCTAssertEqual(noEnrolment.warnings.first?.risk, .noReferenceImage)
    }

    func testSeveralAndSmallFacesWarnButDoNotDecide() {
        let policy = MatchPolicy(model: .dlib)
        let (a, b) = pair(distance: 0.2)
        let report = policy.compare(
            source: analysis([face(width: 200, embedding: a), face(width: 100, embedding: b)]),
            target: analysis([face(width: 40, embedding: b)]))
        XCTAssertEqual(report.status, .approved)
        let multiple = report.warnings.first { $0.risk == .multipleFacesDetected }
        XCTAssertEqual(multiple?.logType, .information)
        XCTAssertEqual(report.warnings.first { $0.risk == .faceTooSmall }?.logType, .warning)
    }

    func testVerifyUsesBestEnrolledDistance() {
        // A distance scoring 75 under dlib's calibration: between the thresholds.
        let policy = MatchPolicy(thresholds: Thresholds(review: 99, decline: 50), model: .dlib)
        let (a, _) = pair(distance: 0)
        let distance = ScoreCalibration.dlib.distance(forScore: 75)
        let report = policy.verify(source: analysis([face(width: 200, embedding: a)]), bestDistance: distance)
        XCTAssertEqual(report.status, .inReview)
        XCTAssertEqual(report.score, 75, accuracy: 1e-6)
    }
}
