/// Follows the 4-byte big-endian length prefixes of a byte stream just far enough to know whether
/// a frame is partly received, so a slow sender can be timed out without the frame decoder's help.
/// I/O-free: fed byte counts and the few header bytes it needs.
struct FrameProgress {
    private var headerBytes: [UInt8] = []
    private var bodyRemaining: UInt64 = 0

    /// True while a frame has started but not yet fully arrived.
    var isInsideFrame: Bool { !headerBytes.isEmpty || bodyRemaining > 0 }

    /// Consumes received bytes; returns how many frames completed within them.
    mutating func consume<Bytes: Collection>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8 {
        var completed = 0
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bodyRemaining > 0 {
                let available = UInt64(bytes.distance(from: index, to: bytes.endIndex))
                let take = min(available, bodyRemaining)
                bodyRemaining -= take
                index = bytes.index(index, offsetBy: Int(take))
                if bodyRemaining == 0 { completed += 1 }
                continue
            }
            headerBytes.append(bytes[index])
            index = bytes.index(after: index)
            if headerBytes.count == 4 {
                bodyRemaining = headerBytes.reduce(0) { $0 << 8 | UInt64($1) }
                headerBytes.removeAll(keepingCapacity: true)
                if bodyRemaining == 0 { completed += 1 }
            }
        }
        return completed
    }
}
