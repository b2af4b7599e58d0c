import Foundation
import XCTest
@testable import MatchRPC

/// `model` and `previous_model` in an application's config, and the PostgreSQL cluster's limit.
final class ModelConfigTests: XCTestCase {
    private let digest = APIKeyDigest(key: "k").hex

    private func parse(_ application: String) throws -> Application {
        let json = #"{"applications": [{"id": "a", "api_key_sha256": "\#(digest)"\#(application)}]}"#
        let applications = try ConfigLoader.parse(Data(json.utf8)).applications
        return try XCTUnwrap(applications?.first)
    }

    func testModelAndPreviousModel() throws {
        XCTAssertEqual(try parse("").model, .serviceDefault, "an application without model runs the default")
        XCTAssertNil(try parse("").previousModel)
        let reid = try parse(#", "model": "face-reidentification-retail-0095""#)
        XCTAssertEqual(reid.model, .reidentification0095)
        let migrating = try parse(#", "model": "face-reidentification-retail-0095", "previous_model": "dlib_face_recognition_resnet_model_v1""#)
        XCTAssertEqual(migrating.previousModel, .dlib)
        XCTAssertEqual(migrating.models, [.reidentification0095, .dlib])
        XCTAssertEqual(try parse(#", "model": "dlib_face_recognition_resnet_model_v1""#).model, .dlib)
    }

    func testUnknownOrRepeatedModelIsAClearError() {
        XCTAssertThrowsError(try parse(#", "model": "facenet""#)) {
            XCTAssertEqual($0 as? ConfigError, .invalidApplication(
                index: 0, reason: "model \"facenet\" is not a known model (known: \(FaceModelID.knownIDs))"))
        }
        XCTAssertThrowsError(try parse(#", "previous_model": "dlib""#)) {
            guard case .invalidApplication(0, let reason) = $0 as? ConfigError else { return XCTFail("\($0)") }
            XCTAssertTrue(reason.hasPrefix("previous_model \"dlib\" is not a known model"), reason)
        }
        XCTAssertThrowsError(try parse(#", "model": "dlib_face_recognition_resnet_model_v1", "previous_model": "dlib_face_recognition_resnet_model_v1""#)) {
            XCTAssertEqual($0 as? ConfigError, .invalidApplication(
                index: 0, reason: "previous_model must differ from model (dlib_face_recognition_resnet_model_v1)"))
        }
        XCTAssertThrowsError(try parse(#", "modle": "dlib_face_recognition_resnet_model_v1""#)) {
            XCTAssertEqual($0 as? ConfigError, .unknownKey(path: "applications[0].modle"))
        }
    }
}
