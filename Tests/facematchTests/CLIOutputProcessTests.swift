import Foundation
import XCTest
@testable import facematch

/// The real binary's output decodes into the schema (the models come from scripts/setup.sh).
final class CLIOutputProcessTests: XCTestCase {
    func testLocalCompareDecodesAsAReportWithLandmarksAndNoCall() throws {
        let result = try CLIProcess.run(["compare", CLIProcess.fixture("obama.jpg"), CLIProcess.fixture("obama2.jpg"),
                                         "--models", CLIProcess.models, "--model", "dlib_face_recognition_resnet_model_v1"])
        XCTAssertEqual(result.status, 0, result.text)
        let report = try CLIOutput.decoder().decode(Output.Report.self, from: result.output)
        XCTAssertEqual(report.status, "Approved")
        XCTAssertLessThan(try XCTUnwrap(report.distance), 0.6)
        XCTAssertEqual(report.sourceFace?.landmarks.count, 5)
        XCTAssertEqual(report.targetFace?.landmarks.count, 5)
        XCTAssertNil(report.call)
        let box = try XCTUnwrap(report.sourceFace?.box)
        XCTAssertLessThan(box.left, box.right)
        XCTAssertLessThan(box.top, box.bottom)
    }

    func testUnreadableImageIsAnErrorObjectAndExitOne() throws {
        let result = try CLIProcess.run(["compare", CLIProcess.fixture("obama.jpg"), "/nonexistent.jpg", "--models", CLIProcess.models])
        XCTAssertEqual(result.status, 1)
        let failure = try CLIOutput.decoder().decode(Output.Failure.self, from: result.output)
        XCTAssertEqual(failure.error.name, "INVALID_ARGUMENT")
        XCTAssertTrue(failure.error.message.contains("/nonexistent.jpg"), failure.error.message)
    }

    /// Without --model, the default model's 256-d embeddings; with dlib's, its 128-d descriptors.
    func testEmbedJSONLinesDecodeWithDescriptors() throws {
        for (model, dimension) in [(nil, 256), ("dlib_face_recognition_resnet_model_v1", 128)] as [(String?, Int)] {
            let result = try CLIProcess.run(["embed", "--json", CLIProcess.fixture("two_people.jpg"), "--models", CLIProcess.models]
                                            + (model.map { ["--model", $0] } ?? []))
            XCTAssertEqual(result.status, 0, result.text)
            let lines = result.text.split(separator: "\n")
            XCTAssertEqual(lines.count, 1)
            let image = try CLIOutput.decoder().decode(Output.Image.self, from: Data(lines[0].utf8))
            XCTAssertEqual(image.faces.count, 2, model ?? "default")
            XCTAssertEqual(image.faces.first?.embedding?.count, dimension, model ?? "default")
        }
    }
}
