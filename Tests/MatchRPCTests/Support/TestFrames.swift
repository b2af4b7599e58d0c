import Foundation
import NIOCore
import Wire

/// Raw request frames and reply parsing for tests that speak the protocol byte by byte.
enum TestFrames {
    struct Reply {
        var callID: UInt64
        var status: RPCStatusCode
    }

    /// A complete Compare request frame (fake-engine images that match).
    static func compare(callID: UInt64, apiKey: String) throws -> [UInt8] {
        let payload = try JSONSerialization.data(withJSONObject: [
            "source_image": Data("face:3".utf8).base64EncodedString(),
            "target_image": Data("face:3".utf8).base64EncodedString(), "vendor_data": ""])
        let envelope = StubRequestEnvelope(callID: callID, method: "Compare", apiKey: apiKey, timeoutMillis: 0, payload: payload)
        let body = Array(try JSONEncoder().encode(envelope))
        return withUnsafeBytes(of: UInt32(body.count).bigEndian, Array.init) + body
    }

    /// Parses whole reply frames from the start of `bytes`.
    static func replies(in bytes: [UInt8]) -> [Reply] {
        var replies: [Reply] = []
        var offset = 0
        while bytes.count - offset >= 4 {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            guard bytes.count - offset - 4 >= length else { break }
            let body = Data(bytes[(offset + 4)..<(offset + 4 + length)])
            if let envelope = try? JSONDecoder().decode(StubResponseEnvelope.self, from: body) {
                replies.append(Reply(callID: envelope.callID, status: envelope.status))
            }
            offset += 4 + length
        }
        return replies
    }

    /// Waits (by yielding, bounded by the caller's `within`) until `count` replies arrived.
    static func awaitReplies(_ count: Int, on connection: RawConnection) async throws -> [Reply] {
        while true {
            let parsed = replies(in: connection.received)
            if parsed.count >= count { return parsed }
            try Task.checkCancellation()
            await Task.yield()
        }
    }
}
