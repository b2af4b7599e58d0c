import Foundation
import XCTest
@testable import MatchRPC

final class RetentionConfigTests: XCTestCase {
    private let digest = APIKeyDigest(key: "k").hex

    private func application(_ extra: String) throws(ConfigError) -> Application {
        let json = #"{"applications": [{"id": "shop", "api_key_sha256": "\#(digest)"\#(extra)}]}"#
        return try ConfigLoader.parse(Data(json.utf8)).applications![0]
    }

    func testRetentionDaysIsReadAndAbsentMeansUnlimited() throws {
        XCTAssertEqual(try application(#", "retention_days": 30"#).retentionDays, 30)
        XCTAssertEqual(try application(#", "retention_days": 3650"#).retentionDays, 3650)
        XCTAssertNil(try application("").retentionDays)
    }

    func testRetentionDaysOutOfRangeIsAClearError() {
        for days in [0, 29, 3651, -5] {
            XCTAssertThrowsError(try application(#", "retention_days": \#(days)"#)) { error in
                XCTAssertEqual(error as? ConfigError, .invalidApplication(
                    index: 0, reason: "retention_days must be 30...3650 (absent: unlimited), got \(days)"))
            }
        }
        XCTAssertThrowsError(try application(#", "retention_day": 60"#)) { error in
            XCTAssertEqual(error as? ConfigError, .unknownKey(path: "applications[0].retention_day"))
        }
    }

    func testSweepIntervalAndMasterKeyFile() throws {
        XCTAssertEqual(try ConfigLoader.parse(Data("{}".utf8)).retentionSweepIntervalSeconds, 3600, "hourly by default")
        let config = try ConfigLoader.parse(Data(#"{"retention_sweep_interval_s": 60, "master_key_file": "/k"}"#.utf8))
        XCTAssertEqual(config.retentionSweepIntervalSeconds, 60)
        XCTAssertEqual(config.masterKeyFile, "/k")
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"retention_sweep_interval_s": 0}"#.utf8)))
        XCTAssertThrowsError(try ConfigLoader.parse(Data(#"{"master_key_file": ""}"#.utf8)))
    }
}
