import NIOCore

/// Writes a frame body with its 4-byte big-endian length prefix (see `FrameDecoder`).
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = ByteBuffer

    public init() {}

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        Self.writeFrame(body: data, to: &out)
    }

    public static func writeFrame(body: ByteBuffer, to out: inout ByteBuffer) {
        out.reserveCapacity(minimumWritableBytes: WireLimits.lengthPrefixBytes + body.readableBytes)
        out.writeInteger(UInt32(body.readableBytes), endianness: .big)
        out.writeImmutableBuffer(body)
    }

    /// A whole frame as bytes, for clients that do not use NIO.
    public static func frame(body: [UInt8]) -> [UInt8] {
        let n = UInt32(body.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
    }
}
