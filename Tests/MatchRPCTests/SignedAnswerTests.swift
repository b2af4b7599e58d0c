import MatchClient
import NIOCore
import Wire
import XCTest
@testable import MatchRPC

/// The server signs every decision and change it answers; Health hands out the key; MatchClient
/// checks signatures when given the key, and does not when not.
final class SignedAnswerTests: XCTestCase {
    private let key = AnswerSigningKey()

    private func connect(_ server: TestServer, verifying publicKey: AnswerPublicKey?) async throws -> MatchClient {
        try await MatchClient.connect(host: "127.0.0.1", port: server.server.port, apiKey: TestServer.shopKey,
                                      verifier: publicKey.map { AnswerVerifier(publicKey: $0) })
    }

    func testEverySignedMethodVerifiesAndHealthGivesTheKey() async throws {
        let server = try await TestServer.start(signingKey: key)
        let client = try await connect(server, verifying: key.publicKey)

        let health = try await client.health()
        XCTAssertEqual(health.signingPublicKey, key.publicKey.hex)
        XCTAssertEqual(health.signingKeyID, key.publicKey.keyID)

        let compare = try await client.compare(source: Array("face:2".utf8), target: Array("face:2:0.1".utf8))
        XCTAssertEqual(compare.status, .approved)
        let enrolled = try await client.enroll(subject: "ada", image: Array("face:5".utf8))
        XCTAssertTrue(enrolled.enrolled)
        let verified = try await client.verify(subject: "ada", image: Array("face:5:0.1".utf8))
        XCTAssertEqual(verified.status, .approved)
        let identified = try await client.identify(image: Array("face:5".utf8))
        XCTAssertEqual(identified.candidates.first?.subjectID, "ada")
        let deleted = try await client.deleteEnrollment(subject: "ada")
        XCTAssertTrue(deleted.deleted)
        await client.close()
        await server.server.shutdown()
    }

    func testTheRawAnswerIsBoundToItsCallMethodRequestIDAndTime() async throws {
        let server = try await TestServer.start(signingKey: key)
        let connection = try await RawConnection.connect(port: server.server.port)
        let before = UnixClock.millis()
        try await connection.send(TestFrames.compare(callID: 77, source: "face:4", target: "face:4:0.2"))
        let reply = try await within(10) { try await TestFrames.awaitReplies(1, on: connection) }[0]
        let after = UnixClock.millis()
        XCTAssertEqual(reply.status, .ok)
        XCTAssertEqual(reply.signingKeyID, key.publicKey.keyID)
        XCTAssertTrue((before...after).contains(reply.serverUnixMillis), "signed with the server's wall clock")
        // The statement as a relying service rebuilds it from the received bytes alone.
        let requestID = try XCTUnwrap(try MatchReportMessage(serialized: reply.payload).info?.requestID)
        let statement = AnswerStatement(method: .compare, callID: 77, serverUnixMillis: reply.serverUnixMillis,
                                        requestID: requestID, payload: reply.payload)
        XCTAssertTrue(key.publicKey.isValidSignature(reply.signature, for: statement))
        for (name, altered) in [("call id", AnswerStatement(method: .compare, callID: 78, serverUnixMillis: reply.serverUnixMillis,
                                                            requestID: requestID, payload: reply.payload)),
                                ("method", AnswerStatement(method: .verify, callID: 77, serverUnixMillis: reply.serverUnixMillis,
                                                           requestID: requestID, payload: reply.payload)),
                                ("request id", AnswerStatement(method: .compare, callID: 77, serverUnixMillis: reply.serverUnixMillis,
                                                               requestID: requestID + "x", payload: reply.payload)),
                                ("older time", AnswerStatement(method: .compare, callID: 77, serverUnixMillis: reply.serverUnixMillis - 1000,
                                                               requestID: requestID, payload: reply.payload))] {
            XCTAssertFalse(key.publicKey.isValidSignature(reply.signature, for: altered), name)
        }
        // Health is answered unsigned, errors too.
        try await connection.send(TestFrames.health(callID: 78))
        try await connection.send(TestFrames.compare(callID: 79, source: "not an image"))
        let replies = try await within(10) { try await TestFrames.awaitReplies(3, on: connection) }
        for unsigned in replies.dropFirst() {
            XCTAssertEqual(unsigned.signature, [], "call \(unsigned.callID)")
            XCTAssertEqual(unsigned.serverUnixMillis, 0)
        }
        await connection.close()
        await server.server.shutdown()
    }

    func testAClientGivenTheWrongKeyRefusesTheAnswer() async throws {
        let server = try await TestServer.start(signingKey: key)
        let other = AnswerSigningKey().publicKey
        let client = try await connect(server, verifying: other)
        do {
            _ = try await client.compare(source: Array("face:2".utf8), target: Array("face:2".utf8))
            XCTFail("an answer signed by another key must not be accepted")
        } catch let error as MatchClientError {
            XCTAssertEqual(error, .badSignature(.otherKey(signedBy: key.publicKey.keyID, expected: other.keyID)))
            XCTAssertEqual(error.code, .unauthenticated)
        }
        // Health is not signed, so it is not refused: it is how a client learns the key.
        let health = try await client.health()
        XCTAssertEqual(health.signingKeyID, key.publicKey.keyID)
        await client.close()
        await server.server.shutdown()
    }

    func testAClientGivenAKeyRefusesAnUnsignedServer() async throws {
        let server = try await TestServer.start()
        let checking = try await connect(server, verifying: key.publicKey)
        do {
            _ = try await checking.compare(source: Array("face:2".utf8), target: Array("face:2".utf8))
            XCTFail("an unsigned answer must not be accepted by a client that checks")
        } catch let error as MatchClientError {
            XCTAssertEqual(error, .badSignature(.missing(method: "Compare")))
        }
        // Verification off: the same answer is taken as it is.
        let trusting = try await connect(server, verifying: nil)
        let report = try await trusting.compare(source: Array("face:2".utf8), target: Array("face:2".utf8))
        XCTAssertEqual(report.status, .approved)
        let health = try await trusting.health()
        XCTAssertEqual(health.signingPublicKey, "", "an unsigned server gives no key")
        await checking.close()
        await trusting.close()
        await server.server.shutdown()
    }

    func testErrorsAreNotSignedAndStayErrors() async throws {
        let server = try await TestServer.start(signingKey: key)
        let client = try await connect(server, verifying: key.publicKey)
        do {
            _ = try await client.compare(source: Array("not an image".utf8), target: Array("face:2".utf8))
            XCTFail("a non-image must be refused")
        } catch let error as MatchClientError {
            XCTAssertEqual(error.code, .invalidArgument, "the server's own status, not a signature failure")
        }
        await client.close()
        await server.server.shutdown()
    }
}
