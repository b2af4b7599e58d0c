import Foundation
import XCTest
@testable import Wire

/// docs/wire-format.md's signed-answer example: every documented line must be what the Swift
/// signer makes from the documented inputs, so the page cannot drift from the code.
final class SignedAnswerExampleTests: XCTestCase {
    private func documented(_ label: String) throws -> String {
        let doc = try String(contentsOf: WireFormatExampleTests.repository.appendingPathComponent("docs/wire-format.md"),
                             encoding: .utf8)
        let line = try XCTUnwrap(doc.split(separator: "\n").first { $0.hasPrefix(label + ": ") }, "no \"\(label):\" line")
        return String(line.dropFirst(label.count + 2))
    }

    private func spaced(_ bytes: [UInt8]) -> String {
        bytes.map { Hex.string([$0]) }.joined(separator: " ")
    }

    func testDocumentedSignedAnswerIsTheSignersOutput() throws {
        let key = try AnswerSigningKey(seed: try XCTUnwrap(Hex.bytes(try documented("signing key seed"))))
        // RFC 8032 section 7.1, test 1: this seed's public key.
        XCTAssertEqual(key.publicKey.hex, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        XCTAssertEqual(try documented("public key"), key.publicKey.hex)
        XCTAssertEqual(try documented("key id"), key.publicKey.keyID)

        let report = MatchReportMessage(status: .approved, score: 97.31, distance: 0.3, warnings: [], sourceFace: nil,
                                        targetFace: nil, vendorData: [],
                                        info: CallInfoMessage(requestID: "r-1", modelID: "m", serverTimeMillis: 12.5))
        let payload = report.serialized()
        XCTAssertEqual(try documented("signed payload"), spaced(payload))

        let statement = AnswerStatement(method: .verify, callID: 7, serverUnixMillis: 1_767_225_600_000, requestID: "r-1",
                                        payload: payload)
        XCTAssertEqual(try documented("signed statement"), spaced(statement.bytes()))
        let signature = key.sign(statement)
        XCTAssertEqual(try documented("signature"), spaced(signature))

        var envelope = ResponseEnvelope(callID: 7, status: .ok, payload: payload)
        envelope.signature = signature
        envelope.signingKeyID = key.publicKey.keyID
        envelope.serverUnixMillis = 1_767_225_600_000
        XCTAssertEqual(try documented("signed response frame"), spaced(FrameEncoder.frame(body: envelope.serialized())))

        let verifier = AnswerVerifier(publicKey: key.publicKey, now: { 1_767_225_600_000 })
        XCTAssertNoThrow(try verifier.check(method: .verify, envelope: try ResponseEnvelope(serialized: envelope.serialized())))
    }
}
