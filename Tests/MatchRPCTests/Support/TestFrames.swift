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
