import NIOCore

/// Splits a byte stream into frame bodies.
///
/// ```
/// offset 0        4                        4 + length
///        +--------+------------------------+
///        | length | body                   |
///        | UInt32 | one serialized protobuf|
///        | big-   | message (`length`      |
///        | endian | bytes, may be 0)       |
///        +--------+------------------------+
/// ```
///
/// The length is checked against `maxFrameBytes` as soon as its four bytes arrive, before any
/// body byte is buffered, so a hostile length (up to 4 GiB) costs the server nothing. As a
/// single-step decoder it serves both `ByteToMessageHandler` (a channel) and
/// `NIOSingleStepByteToMessageProcessor` (any other byte source).
public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxFrameBytes: Int

    public init(maxFrameBytes: Int = WireLimits.defaultMaxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        try Self.nextFrame(from: &buffer, maxFrameBytes: maxFrameBytes)
    }

    /// At end of stream a partial frame is an error, not something to wait for.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let frame = try decode(buffer: &buffer) { return frame }
        let leftover = buffer.readableBytes
        guard leftover == 0 else {
            buffer.moveReaderIndex(forwardBy: leftover)
            throw FrameError.truncatedFrame(bufferedBytes: leftover)
        }
        return nil
    }

    /// The I/O-free core: takes one whole frame body off the front of `buffer`, or returns nil
    /// (consuming nothing) when more bytes are needed.
    public static func nextFrame(from buffer: inout ByteBuffer, maxFrameBytes: Int) throws(FrameError) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else { return nil }
        guard UInt64(length) <= UInt64(max(0, maxFrameBytes)) else {
            throw .frameTooLarge(length: UInt64(length), limit: maxFrameBytes)
        }
        let missing = Int(length) - (buffer.readableBytes - WireLimits.lengthPrefixBytes)
        guard missing <= 0 else {
            // Room for the rest of the frame at once: a large frame is then copied into the
            // cumulation buffer once, instead of again at every doubling as it arrives.
            buffer.reserveCapacity(minimumWritableBytes: missing)
            return nil
        }
        buffer.moveReaderIndex(forwardBy: WireLimits.lengthPrefixBytes)
        return buffer.readSlice(length: Int(length))
    }
}
