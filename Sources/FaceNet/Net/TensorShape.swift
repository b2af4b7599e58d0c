/// The shape of one fp32 activation tensor, batch 1, stored NHWC (channels innermost).
public struct TensorShape: Hashable, Sendable, CustomStringConvertible {
    public let height: Int
    public let width: Int
    public let channels: Int

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    public var elementCount: Int { height * width * channels }
    public var byteCount: Int { elementCount * MemoryLayout<Float>.stride }
    public var description: String { "\(height)x\(width)x\(channels)" }

    /// oneDNN's logical dims are always N, C, H, W whatever the memory layout.
    var dnnlDims: [Int64] { [1, Int64(channels), Int64(height), Int64(width)] }
}
