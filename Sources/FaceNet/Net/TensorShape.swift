/// The shape of one fp32 activation tensor, batch 1, stored NHWC (channels innermost).
struct TensorShape: Hashable, Sendable, CustomStringConvertible {
    let height: Int
    let width: Int
    let channels: Int

    init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    var elementCount: Int { height * width * channels }
    var byteCount: Int { elementCount * MemoryLayout<Float>.stride }
    var description: String { "\(height)x\(width)x\(channels)" }

    /// oneDNN's logical dims are always N, C, H, W whatever the memory layout.
    var dnnlDims: [Int64] { [1, Int64(channels), Int64(height), Int64(width)] }
}
