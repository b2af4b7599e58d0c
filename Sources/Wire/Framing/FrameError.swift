/// Why the byte stream cannot be split into frames. Either ends the connection: after a bad
/// prefix there is no way to find the next frame's start.
public enum FrameError: Error, Equatable, CustomStringConvertible {
    /// The length prefix announced more than the configured maximum (checked before any body byte).
    case frameTooLarge(length: UInt64, limit: Int)
    /// The stream ended inside a frame.
    case truncatedFrame(bufferedBytes: Int)

    public var description: String {
        switch self {
        case let .frameTooLarge(length, limit): return "frame of \(length) bytes exceeds the \(limit)-byte limit"
        case let .truncatedFrame(buffered): return "connection closed inside a frame (\(buffered) bytes buffered)"
        }
    }
}
