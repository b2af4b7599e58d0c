import NIOCore
import NIOEmbedded
import XCTest
@testable import Wire

final class DecodedCallTests: XCTestCase {
    func testKnownMethodWithGoodPayloadIsACall() throws {
        let request = RPCRequest.verify(VerifyRequestMessage(subjectID: "s-1", image: [0xFF, 0xD8], vendorData: [3]))
        let envelope = RequestEnvelope(callID: 12, request: request, apiKey: "k", timeoutMillis: 900)
        let decoded = try DecodedCall(frameBody: envelope.serialized())
        XCTAssertEqual(decoded, .call(envelope, request))
        XCTAssertNil(decoded.rejection)
    }

    func testUnknownMethodIsAnsweredUnimplemented() throws {
        let envelope = RequestEnvelope(callID: 4, methodName: "Teleport\n", apiKey: "k", timeoutMillis: 0, payload: [1, 2])
        let decoded = try DecodedCall(frameBody: envelope.serialized())
        XCTAssertEqual(decoded, .unknownMethod(envelope))
        let rejection = try XCTUnwrap(decoded.rejection)
        XCTAssertEqual(rejection.callID, 4)
        XCTAssertEqual(rejection.status, .unimplemented)
        XCTAssertEqual(rejection.message, #"unknown method "Teleport\n""#)
    }

    func testUndecodablePayloadIsAnsweredInvalidArgument() throws {
        let envelope = RequestEnvelope(callID: 5, method: .compare, apiKey: "k", payload: [0x0A, 0x7F, 0x01])
        let decoded = try DecodedCall(frameBody: envelope.serialized())
        XCTAssertEqual(decoded, .invalidPayload(envelope, .undecodable(message: "CompareRequest", bytes: 3)))
        let rejection = try XCTUnwrap(decoded.rejection)
        XCTAssertEqual(rejection.callID, 5)
        XCTAssertEqual(rejection.status, .invalidArgument)
    }

    func testBodyThatIsNoEnvelopeThrows() {
        XCTAssertThrowsError(try DecodedCall(frameBody: [0x08])) { error in
            XCTAssertEqual(error as? WireDecodeError, .undecodable(message: "RequestEnvelope", bytes: 1))
        }
    }

    /// Frames in, answers out, through NIO handlers: the bad call is answered and the good call
    /// after it on the same connection still gets through.
    func testPipelineAnswersBadCallsAndKeepsServing() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FrameEncoder()))
        try channel.pipeline.syncOperations.addHandler(RejectingHandler())
        let unknown = RequestEnvelope(callID: 1, methodName: "Nope", apiKey: "k", timeoutMillis: 0, payload: [])
        let bad = RequestEnvelope(callID: 2, method: .enroll, apiKey: "k", payload: [0x20, 0x07])
        let good = RequestEnvelope(callID: 3, request: .health(HealthRequestMessage()), apiKey: "k")
        let stream = [unknown, bad, good].flatMap { FrameEncoder.frame(body: $0.serialized()) }
        try channel.writeInbound(ByteBuffer(bytes: stream))

        var answers: [ResponseEnvelope] = []
        while var out = try channel.readOutbound(as: ByteBuffer.self) {
            while let body = try FrameDecoder.nextFrame(from: &out, maxFrameBytes: 1 << 16) {
                answers.append(try ResponseEnvelope(serialized: Array(body.readableBytesView)))
            }
        }
        XCTAssertEqual(answers.map(\.callID), [1, 2, 3])
        XCTAssertEqual(answers.map(\.status), [.unimplemented, .invalidArgument, .ok])
        XCTAssertEqual(try HealthResultMessage(serialized: answers[2].payload).serving, true)
    }
}

/// A minimal server end for the pipeline test: rejections as `DecodedCall` builds them, and a
/// fixed Health answer.
private final class RejectingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard let call = try? DecodedCall(frameBody: Array(frame.readableBytesView)) else {
            context.close(promise: nil)
            return
        }
        let answer = call.rejection ?? ResponseEnvelope(
            callID: call.envelope.callID, status: .ok,
            payload: HealthResultMessage(serving: true, modelID: "m", subjects: 0, templates: 0, storeBytes: 0).serialized())
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: answer.serialized())), promise: nil)
    }
}
