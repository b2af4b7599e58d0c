import XCTest
@testable import Wire

/// A signed answer verifies; any change to what the signature binds (a payload byte, the call id,
/// the method, the server time, the request id) or a stale time makes it fail, with the reason.
final class AnswerVerifierTests: XCTestCase {
    private let key = try! AnswerSigningKey(seed: Array(0..<32))
    private let signedAt: UInt64 = 1_800_000_000_000

    private func signedVerify(callID: UInt64 = 41, requestID: String = "req-1") -> ResponseEnvelope {
        let report = MatchReportMessage(status: .declined, score: 12.5, distance: 0.9, warnings: [], sourceFace: nil,
                                        targetFace: nil, vendorData: Array("door-3".utf8),
                                        info: CallInfoMessage(requestID: requestID, modelID: "m", serverTimeMillis: 3))
        var envelope = ResponseEnvelope(callID: callID, status: .ok, payload: report.serialized())
        envelope.serverUnixMillis = signedAt
        envelope.signingKeyID = key.publicKey.keyID
        envelope.signature = key.sign(AnswerStatement(method: .verify, callID: callID, serverUnixMillis: signedAt,
                                                      requestID: requestID, payload: envelope.payload))
        return envelope
    }

    private func verifier(now: UInt64? = nil) -> AnswerVerifier {
        let clock = now ?? signedAt
        return AnswerVerifier(publicKey: key.publicKey, now: { clock })
    }

    private func failure(_ envelope: ResponseEnvelope, method: RPCMethod = .verify,
                         verifier: AnswerVerifier? = nil) -> AnswerSignatureError? {
        do {
            try (verifier ?? self.verifier()).check(method: method, envelope: envelope)
            return nil
        } catch {
            return error
        }
    }

    func testAnUnalteredAnswerVerifies() {
        XCTAssertNil(failure(signedVerify()))
        XCTAssertEqual(key.sign(AnswerStatement(method: .verify, callID: 1, serverUnixMillis: 2, requestID: "r", payload: [])),
                       key.sign(AnswerStatement(method: .verify, callID: 1, serverUnixMillis: 2, requestID: "r", payload: [])),
                       "Ed25519 signatures are deterministic")
    }

    func testEveryFlippedPayloadByteFails() {
        let original = signedVerify()
        for index in original.payload.indices {
            var altered = original
            altered.payload[index] ^= 0x01
            let error = failure(altered)
            XCTAssertEqual(error, .invalid(method: "Verify"), "byte \(index)")
        }
    }

    func testAnotherCallIDFails() {
        var replayed = signedVerify(callID: 41)
        replayed.callID = 42
        XCTAssertEqual(failure(replayed), .invalid(method: "Verify"))
    }

    func testAnotherMethodFails() {
        // The same MatchReport bytes are a valid Compare payload: only the method in the statement tells them apart.
        XCTAssertEqual(failure(signedVerify(), method: .compare), .invalid(method: "Compare"))
    }

    func testAnAlteredServerTimeFails() {
        var backdated = signedVerify()
        backdated.serverUnixMillis -= 1
        XCTAssertEqual(failure(backdated), .invalid(method: "Verify"))
    }

    func testAnOldAnswerIsStale() {
        let allowed = AnswerVerifier.defaultMaxClockSkewMillis
        XCTAssertNil(failure(signedVerify(), verifier: verifier(now: signedAt + allowed)))
        XCTAssertEqual(failure(signedVerify(), verifier: verifier(now: signedAt + allowed + 1)),
                       .stale(serverUnixMillis: signedAt, localUnixMillis: signedAt + allowed + 1, allowedMillis: allowed))
        XCTAssertEqual(failure(signedVerify(), verifier: verifier(now: signedAt - allowed - 1)),
                       .stale(serverUnixMillis: signedAt, localUnixMillis: signedAt - allowed - 1, allowedMillis: allowed),
                       "a time in the future is refused as well")
    }

    func testMissingSignatureAndOtherKeyAreNamed() {
        var unsigned = signedVerify()
        unsigned.signature = []
        XCTAssertEqual(failure(unsigned), .missing(method: "Verify"))

        let other = AnswerSigningKey()
        var foreign = signedVerify()
        foreign.signingKeyID = other.publicKey.keyID
        foreign.signature = other.sign(AnswerStatement(method: .verify, callID: 41, serverUnixMillis: signedAt,
                                                       requestID: "req-1", payload: foreign.payload))
        XCTAssertEqual(failure(foreign), .otherKey(signedBy: other.publicKey.keyID, expected: key.publicKey.keyID))
        // Claiming the trusted key's id does not help a foreign signature.
        foreign.signingKeyID = key.publicKey.keyID
        XCTAssertEqual(failure(foreign), .invalid(method: "Verify"))
    }

    func testTheSignatureSurvivesTheEnvelopesEncoding() throws {
        let decoded = try ResponseEnvelope(serialized: signedVerify().serialized())
        XCTAssertEqual(decoded, signedVerify())
        XCTAssertEqual(decoded.signature.count, 64)
        XCTAssertNil(failure(decoded))
    }
}
