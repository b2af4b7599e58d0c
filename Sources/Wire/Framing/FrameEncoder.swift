import NIOCore

/// Writes a frame body with its 4-byte big-endian length prefix (layout in `FrameDecoder`).
/// A body over `maxFrameBytes` fails the write with `FrameError.frameTooLarge`: a last guard,
/// since a failed encode leaves the channel in an error state. Callers check the size first
/// (MatchClient refuses an oversize request before it reaches the channel).
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = ByteBuffer

    public let maxFrameBytes: Int

    public init(maxFrameBytes: Int = WireLimits.defaultMaxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        guard data.readableBytes <= maxFrameBytes, data.readableBytes <= Int(UInt32.max) else {
            throw FrameError.frameTooLarge(length: UInt64(data.readableBytes), limit: maxFrameBytes)
        }
        Self.writeFrame(body: data, to: &out)
    }

    /// Writes prefix and body; the body must be under 4 GiB (`encode` checks).
    public static func writeFrame(body: ByteBuffer, to out: inout ByteBuffer) {
        out.reserveCapacity(minimumWritableBytes: WireLimits.lengthPrefixBytes + body.readableBytes)
        out.writeInteger(UInt32(truncatingIfNeeded: body.readableBytes), endianness: .big)
        out.writeImmutableBuffer(body)
    }

    /// A whole frame as bytes, for code that does not use NIO; the body must be under 4 GiB.
    public static func frame(body: [UInt8]) -> [UInt8] {
        let n = UInt32(truncatingIfNeeded: body.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
    }
}
