import Foundation
import XCTest
@testable import MatchRPC

/// Each model's score mapping: 50 at its boundary, monotone, invertible, and (for 0095's
/// constants, whichever measure they are given in) every parity-fixture pair keeps its decision.
final class ScoreCalibrationTests: XCTestCase {
    func testEveryModelHasItsOwnMapping() {
        XCTAssertEqual(ScoreCalibration.of(.dlib), .dlib)
        XCTAssertEqual(ScoreCalibration.of(.reidentification0095), .reidentification0095)
        XCTAssertEqual(ScoreCalibration.dlib.measure, .euclidean)
        for model in FaceModelID.allCases {
            let c = ScoreCalibration.of(model)
            for s in [0.5, 10, 25, 50, 70, 90, 99] {
                XCTAssertEqual(c.score(distance: c.distance(forScore: s)), s, accuracy: 1e-6, "\(model) at \(s)")
            }
            XCTAssertGreaterThan(c.score(distance: 0.3), c.score(distance: 0.6), "\(model): closer scores higher")
        }
    }

    func testCosineMeasureScoresUnitVectorsByTheirCosine() {
        let c = ScoreCalibration(measure: .cosine, boundary: 0.4, steepness: 4)
        // Unit vectors at cosine x are sqrt(2 - 2x) apart.
        func distance(cosine: Double) -> Double { (2 - 2 * cosine).squareRoot() }
        XCTAssertEqual(c.score(distance: distance(cosine: c.boundary)), 50, accuracy: 1e-9)
        XCTAssertEqual(c.score(distance: 0), 100 * (tanh((1 - c.boundary) * c.steepness) + 1) / 2, accuracy: 1e-9)
        XCTAssertEqual(c.distance(forScore: 50), distance(cosine: c.boundary), accuracy: 1e-9)
        XCTAssertEqual(c.distance(forScore: 1e-12), 2, accuracy: 1e-9, "a minimum score of 0 searches every distance")
    }

    /// OpenVINO's cosines of the fixtures' largest faces (Tests/Fixtures/model2/index.json):
    /// same person at least 70 (Approved under the default thresholds), different people below 50.
    func testProvisional0095ConstantsKeepEveryFixturePairsDecision() throws {
        let url = RealModelServer.repo.appendingPathComponent("Tests/Fixtures/model2/index.json")
        struct Index: Decodable { struct Pair: Decodable { var a, b: String; var cosine: Double }; var pairs: [Pair] }
        let pairs = try JSONDecoder().decode(Index.self, from: Data(contentsOf: url)).pairs
        // Who is in each fixture (two_people: Biden is the larger face).
        func person(_ name: String) -> String {
            if name == "two_people" { return "biden" }
            return String(name.prefix { $0.isLetter })
        }
        XCTAssertGreaterThan(pairs.count, 50)
        let c = ScoreCalibration.reidentification0095
        var same = 0
        for pair in pairs {
            let score = c.score(distance: (2 - 2 * pair.cosine).squareRoot())
            if person(pair.a) == person(pair.b) {
                same += 1
                XCTAssertGreaterThanOrEqual(score, Thresholds.default.review, "\(pair.a) / \(pair.b) at cosine \(pair.cosine)")
            } else {
                XCTAssertLessThan(score, Thresholds.default.decline, "\(pair.a) / \(pair.b) at cosine \(pair.cosine)")
            }
        }
        XCTAssertGreaterThan(same, 20)
    }
}
