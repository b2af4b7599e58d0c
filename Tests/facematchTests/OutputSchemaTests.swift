import FaceNet
import Foundation
import MatchClient
import MatchRPC
import XCTest
@testable import facematch

/// One JSON schema for every command: the in-process and the server's answers print the same
/// keys and shapes (boxes as objects, landmarks, call info or null).
final class OutputSchemaTests: XCTestCase {
    private let face = AnalyzedFace(box: FaceBox(left: 10.004, top: 20, right: 110.126, bottom: 120), confidence: 1.0312345,
                                    landmarks: (0..<5).map { FacePoint(x: Double($0) + 0.123, y: 1) }, embedding: [0.5, 0.25])

    private func keys(_ json: String) throws -> Set<String> {
        Set(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]).keys)
    }

    func testLocalAndRemoteReportsPrintTheSameKeys() throws {
        let local = Output.Report(MatchPolicy().compare(source: FaceAnalysis(width: 200, height: 200, faces: [face]),
                                                        target: FaceAnalysis(width: 200, height: 200, faces: [face])))
        let remoteJSON = #"""
        {"status": "Approved", "score": 99.123, "distance": 0.0000004, "warnings": [],
         "source_face": {"box": {"left": 10, "top": 20, "right": 110, "bottom": 120}, "confidence": 1.03,
                         "landmarks": [{"x": 1, "y": 2}]},
         "target_face": null, "vendor_data": "v",
         "info": {"request_id": "r-1", "model_id": "dlib-v1", "server_time_ms": 12.3456}}
        """#
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let remote = Output.Report(try decoder.decode(ClientReport.self, from: Data(remoteJSON.utf8)))

        let localJSON = CLIOutput.json(local), printedRemote = CLIOutput.json(remote)
        XCTAssertEqual(try keys(localJSON), try keys(printedRemote))
        XCTAssertEqual(try keys(localJSON), ["status", "score", "distance", "warnings", "source_face", "target_face",
                                             "vendor_data", "call"])
        XCTAssertTrue(localJSON.contains(#""call" : null"#), localJSON)
        XCTAssertTrue(printedRemote.contains(#""target_face" : null"#), printedRemote)
        XCTAssertEqual(remote.call, Output.Call(requestId: "r-1", modelId: "dlib-v1", serverTimeMs: 12.35))
        XCTAssertEqual(remote.distance, 0)

        // The local face: a box object rounded to 1/100 px, five landmarks, no descriptor.
        let printedFace = try XCTUnwrap(local.sourceFace)
        XCTAssertEqual(printedFace.box, Output.Box(left: 10, top: 20, right: 110.13, bottom: 120))
        XCTAssertEqual(printedFace.landmarks.count, 5)
        XCTAssertEqual(printedFace.landmarks[0], Output.Point(x: 0.12, y: 1))
        XCTAssertNil(printedFace.embedding)
        XCTAssertEqual(try CLIOutput.decoder().decode(Output.Report.self, from: Data(localJSON.utf8)), local)
    }

    func testEmbedLinesCarryTheDescriptorOnOneLine() throws {
        let line = CLIOutput.json(Output.Image(file: "a.jpg", analysis: FaceAnalysis(width: 200, height: 100, faces: [face])),
                                  pretty: false)
        XCTAssertFalse(line.contains("\n"))
        let image = try CLIOutput.decoder().decode(Output.Image.self, from: Data(line.utf8))
        XCTAssertEqual(image.faces.first?.embedding, [0.5, 0.25])
        XCTAssertEqual(image.faces.first?.box.right, 110.13)
        XCTAssertEqual(image.width, 200)
    }

    func testFailuresHaveCodeNameAndMessage() throws {
        let json = CLIOutput.json(Output.Failure(error: .init(code: 3, name: "INVALID_ARGUMENT", message: "x: not an image")))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [String: Any]])
        XCTAssertEqual(object["error"]?["name"] as? String, "INVALID_ARGUMENT")
        XCTAssertEqual(object["error"]?["code"] as? Int, 3)
    }
}
