import XCTest
@testable import MatchRPC

/// Verify during a migration (`previous_model`), with the fake engine standing in for both models
/// and one in-memory store per model.
final class VerifyMigrationTests: XCTestCase {
    private let old = InMemoryStore()
    private let new = InMemoryStore()
    private lazy var service = MatchService(stores: ModelStores([.dlib: old, .reidentification0095: new]))
    private let analyzers = ModelAnalyzers.uniform(FakeAnalyzer(gate: nil))
    private let migrating = Application(id: "bank", keyDigest: APIKeyDigest(key: "b"), model: .reidentification0095,
                                        previousModel: .dlib)
    private let switched = Application(id: "bank", keyDigest: APIKeyDigest(key: "b"), model: .reidentification0095)

    private func image(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func enrollOld(_ subject: String, _ face: String) throws {
        _ = try old.enroll(namespace: "bank", subject: subject, vector: FakeAnalyzer.face(axis: Int(face)!, offset: 0, width: 200).embedding,
                           vendorData: [], mode: .append)
    }

    func testApprovedFallbackEnrolsTheNewModelFromTheProbe() throws {
        try enrollOld("alice", "4")
        XCTAssertEqual(service.migration.waitingSubjects(migrating), 1)
        let report = try service.verify(subject: "alice", image: image("face:4:0.1"), for: migrating, analyzers: analyzers)
        XCTAssertEqual(report.status, .approved)
        XCTAssertEqual(report.model, .dlib, "decided with the previous model's templates")
        XCTAssertEqual(report.score, ScoreCalibration.dlib.score(distance: 0.1), accuracy: 1e-4, "and its calibration")
        XCTAssertEqual(report.warnings.last?.risk, .templateMigrated)
        XCTAssertEqual(report.warnings.last?.logType, .information)
        XCTAssertEqual(try new.enrollmentCount(namespace: "bank", subject: "alice"), 1)
        XCTAssertEqual(try old.enrollmentCount(namespace: "bank", subject: "alice"), 1, "the old template stays until deleted")
        XCTAssertEqual(service.migration.waitingSubjects(migrating), 0)

        let again = try service.verify(subject: "alice", image: image("face:4"), for: migrating, analyzers: analyzers)
        XCTAssertEqual(again.model, .reidentification0095, "the new template decides from now on")
        XCTAssertEqual(again.score, ScoreCalibration.reidentification0095.score(distance: 0.1), accuracy: 1e-4)
        XCTAssertFalse(again.warnings.contains { $0.risk == .templateMigrated })
    }

    func testDeclinedOrReviewedFallbackEnrolsNothing() throws {
        try enrollOld("alice", "4")
        let impostor = try service.verify(subject: "alice", image: image("face:9"), for: migrating, analyzers: analyzers)
        XCTAssertEqual(impostor.status, .declined)
        // Score 60 under dlib's calibration: In Review with the default thresholds.
        let doubtful = try service.verify(subject: "alice", image: image("face:4:\(ScoreCalibration.dlib.distance(forScore: 60))"),
                                          for: migrating, analyzers: analyzers)
        XCTAssertEqual(doubtful.status, .inReview)
        let noFace = try service.verify(subject: "alice", image: image("noface"), for: migrating, analyzers: analyzers)
        XCTAssertEqual(noFace.warnings.first?.risk, .noFaceDetected)
        XCTAssertFalse(noFace.warnings.contains { $0.risk == .noReferenceImage }, "the subject has a (previous) reference")
        XCTAssertEqual(try new.enrollmentCount(namespace: "bank", subject: "alice"), 0)
        XCTAssertEqual(service.migration.waitingSubjects(migrating), 1)
    }

    func testWithoutPreviousModelTheOldTemplatesAreNotUsed() throws {
        try enrollOld("alice", "4")
        let report = try service.verify(subject: "alice", image: image("face:4"), for: switched, analyzers: analyzers)
        XCTAssertEqual(report.warnings.first?.risk, .noReferenceImage)
        XCTAssertNil(service.migration.waitingSubjects(switched), "no migration, nothing counted")
        XCTAssertEqual(try new.enrollmentCount(namespace: "bank", subject: "alice"), 0)
    }

    func testEnrollUsesTheApplicationsModelAndDeleteErasesEveryModel() throws {
        try enrollOld("alice", "4")
        try enrollOld("bob", "6")
        let enrolled = try service.enroll(subject: "bob", image: image("face:6"), vendorData: [], mode: .append, for: migrating,
                                          analyzers: analyzers)
        XCTAssertTrue(enrolled.enrolled)
        XCTAssertEqual(try new.enrollmentCount(namespace: "bank", subject: "bob"), 1)
        XCTAssertEqual(service.migration.waitingSubjects(migrating), 1, "only alice still waits")
        try service.delete(subject: "bob", for: migrating)
        XCTAssertEqual(try new.enrollmentCount(namespace: "bank", subject: "bob"), 0)
        XCTAssertEqual(try old.enrollmentCount(namespace: "bank", subject: "bob"), 0)
        try service.delete(subject: "alice", for: migrating)
        XCTAssertEqual(try old.enrollmentCount(namespace: "bank", subject: "alice"), 0)
        XCTAssertEqual(service.migration.waitingSubjects(migrating), 0)
        XCTAssertThrowsError(try service.delete(subject: "alice", for: migrating)) {
            XCTAssertEqual($0 as? ServiceError, .notFound("subject has no enrolment"))
        }
    }

    func testIdentifySearchesOnlyTheApplicationsModel() throws {
        try enrollOld("alice", "4")
        let outcome = try service.identify(image: image("face:4"), topK: 5, minScore: 0, for: migrating, analyzers: analyzers)
        XCTAssertEqual(outcome.candidates, [])
    }
}
