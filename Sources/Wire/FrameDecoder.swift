import NIOCore

/// Splits a byte stream into frames.
///
/// ```
/// +----------------+--------------------------------+
/// | length: UInt32 | body: `length` bytes           |
/// | big-endian     | one serialized protobuf message|
/// +----------------+--------------------------------+
/// ```
///
/// The length is checked against `maxFrameBytes` as soon as its four bytes arrive, before any
/// body byte is buffered, so a hostile length (up to 4 GiB) costs the server nothing.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxFrameBytes: Int

    public init(maxFrameBytes: Int = WireLimits.defaultMaxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.nextFrame(from: &buffer, maxFrameBytes: maxFrameBytes) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let leftover = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: leftover)
            throw FrameError.truncatedFrame(bufferedBytes: leftover)
        }
        return .needMoreData
    }

    /// The I/O-free core: takes one whole frame body off the front of `buffer`, or nil when more
    /// bytes are needed.
    public static func nextFrame(from buffer: inout ByteBuffer, maxFrameBytes: Int) throws -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else { return nil }
        guard UInt64(length) <= UInt64(maxFrameBytes) else {
            throw FrameError.frameTooLarge(length: UInt64(length), limit: maxFrameBytes)
        }
        guard buffer.readableBytes >= WireLimits.lengthPrefixBytes + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: WireLimits.lengthPrefixBytes)
        return buffer.readSlice(length: Int(length))
    }
}

public enum FrameError: Error, Equatable, CustomStringConvertible {
    case frameTooLarge(length: UInt64, limit: Int)
    case truncatedFrame(bufferedBytes: Int)

    public var description: String {
        switch self {
        case let .frameTooLarge(length, limit): return "frame of \(length) bytes exceeds the \(limit)-byte limit"
        case let .truncatedFrame(buffered): return "connection closed inside a frame (\(buffered) bytes buffered)"
        }
    }
}
