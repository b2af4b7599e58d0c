import Foundation
import XCTest

/// `facematch eval-embed --model face-reidentification-retail-0095` (the per-image half of
/// `scripts/lfw-eval.sh --model`) on fixture photos, through the real binary.
final class EvalEmbedProcessTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("eval-embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "obama.jpg\nobama2.jpg\nbiden.jpg\nchelsea.png\ntwo_people.jpg\n".write(to: list, atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    private var list: URL { folder.appendingPathComponent("list.txt") }
    private var out: URL { folder.appendingPathComponent("out.jsonl") }

    private func run(_ extra: [String] = []) throws -> CLIProcess.Result {
        try CLIProcess.run(["eval-embed", "--model", "face-reidentification-retail-0095", "--list", list.path,
                            "--root", CLIProcess.repo.appendingPathComponent("Tests/Fixtures/faces").path,
                            "--out", out.path, "--models", CLIProcess.models] + extra)
    }

    private func records() throws -> [String: [String: Any]] {
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        var byFile: [String: [String: Any]] = [:]
        for line in lines {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            byFile[try XCTUnwrap(object["file"] as? String)] = object
        }
        XCTAssertEqual(byFile.count, lines.count, "one line per image")
        return byFile
    }

    private func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).map(*).reduce(0, +)
        return dot / (a.map { $0 * $0 }.reduce(0, +).squareRoot() * b.map { $0 * $0 }.reduce(0, +).squareRoot())
    }

    func testCentralFaceEmbeddingsSeparatePeopleAndARerunResumes() throws {
        XCTAssertEqual(try run().status, 0)
        let byFile = try records()
        XCTAssertEqual(Set(byFile.keys), ["obama.jpg", "obama2.jpg", "biden.jpg", "chelsea.png", "two_people.jpg"])
        XCTAssertEqual((byFile["chelsea.png"]?["faces"] as? [Any])?.count, 0, "a cat has no face")
        XCTAssertNil(byFile["chelsea.png"]?["single"])
        XCTAssertEqual((byFile["two_people.jpg"]?["faces"] as? [Any])?.count, 2)
        var single: [String: [Double]] = [:]
        for file in ["obama.jpg", "obama2.jpg", "biden.jpg", "two_people.jpg"] {
            let record = try XCTUnwrap(byFile[file])
            single[file] = try XCTUnwrap(record["single"] as? [Double], file)
            XCTAssertEqual(single[file]?.count, 256, file)
            XCTAssertEqual((record["mirror"] as? [Double])?.count, 256, file)
            XCTAssertEqual((record["landmarks"] as? [[Double]])?.count, 5, file)
            XCTAssertNotNil(record["central"] as? Int, file)
            XCTAssertNotNil((record["ms"] as? [String: Double])?["embed"], file)
        }
        XCTAssertGreaterThan(cosine(single["obama.jpg"]!, single["obama2.jpg"]!), 0.5, "same person")
        XCTAssertLessThan(cosine(single["obama.jpg"]!, single["biden.jpg"]!), 0.3, "different people")

        XCTAssertEqual(try run().status, 0)
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8).split(separator: "\n").count, 5, "a rerun adds nothing")
    }

    func testWorkingSideShrinksTheImageBeforeDetection() throws {
        XCTAssertEqual(try run(["--working-side", "200"]).status, 0)
        let obama = try XCTUnwrap(try records()["obama.jpg"])
        let working = try XCTUnwrap(obama["working"] as? [Int])
        XCTAssertEqual(working.max(), 200)
        let (width, height) = (try XCTUnwrap(obama["width"] as? Int), try XCTUnwrap(obama["height"] as? Int))
        XCTAssertGreaterThan(max(width, height), 200, "boxes stay in the original's pixels")
    }

    func testDlibScaleOptionIsRefusedForTheSecondFamily() throws {
        XCTAssertNotEqual(try run(["--scale", "0.5"]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
