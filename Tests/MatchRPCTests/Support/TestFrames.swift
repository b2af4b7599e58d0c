import NIOCore
import Wire

/// Raw request frames and reply parsing for tests that speak the protocol byte by byte.
enum TestFrames {
    /// A complete Compare request frame (fake-engine images that match).
    static func compare(callID: UInt64, apiKey: String) throws -> [UInt8] {
        let payload = CompareRequestMessage(sourceImage: Array("face:3".utf8), targetImage: Array("face:3".utf8)).serialized()
        let body = RequestEnvelope(callID: callID, method: .compare, apiKey: apiKey, payload: payload).serialized()
        return FrameEncoder.frame(body: body)
    }

    /// Any request as a frame (the method's name, deadline and payload as given).
    static func request(callID: UInt64, method: String, apiKey: String = TestServer.shopKey, timeoutMillis: UInt32 = 0,
                        payload: [UInt8]) -> [UInt8] {
        FrameEncoder.frame(body: RequestEnvelope(callID: callID, methodName: method, apiKey: apiKey,
                                                 timeoutMillis: timeoutMillis, payload: payload).serialized())
    }

    static func compare(callID: UInt64, source: String, target: String = "face:0", timeoutMillis: UInt32 = 0) -> [UInt8] {
        request(callID: callID, method: "Compare", timeoutMillis: timeoutMillis,
                payload: CompareRequestMessage(sourceImage: Array(source.utf8), targetImage: Array(target.utf8)).serialized())
    }

    static func enroll(callID: UInt64, subject: String, image: String, timeoutMillis: UInt32 = 0) -> [UInt8] {
        request(callID: callID, method: "Enroll", timeoutMillis: timeoutMillis,
                payload: EnrollRequestMessage(subjectID: subject, image: Array(image.utf8), vendorData: [], mode: .append)
                    .serialized())
    }

    static func health(callID: UInt64) -> [UInt8] {
        request(callID: callID, method: "Health", payload: [])
    }

    /// Parses whole response frames from the start of `bytes`.
    static func replies(in bytes: [UInt8]) -> [ResponseEnvelope] {
        var buffer = ByteBuffer(bytes: bytes)
        var replies: [ResponseEnvelope] = []
        while let frame = try? FrameDecoder.nextFrame(from: &buffer, maxFrameBytes: WireLimits.defaultMaxFrameBytes),
              let envelope = try? ResponseEnvelope(serialized: Array(frame.readableBytesView)) {
            replies.append(envelope)
        }
        return replies
    }

    /// Waits (by yielding, bounded by the caller's `within`) until `count` replies arrived.
    static func awaitReplies(_ count: Int, on connection: RawConnection) async throws -> [ResponseEnvelope] {
        while true {
            let parsed = replies(in: connection.received)
            if parsed.count >= count { return parsed }
            try Task.checkCancellation()
            await Task.yield()
        }
    }
}
