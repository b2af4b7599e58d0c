/// Per-output-pixel filter taps of an antialiased bilinear (triangle) filter along one axis, in
/// the fixed point Pillow's Image.resize(..., BILINEAR) uses, so that results match it bit for bit.
///
/// Output pixel i covers input span [in0 + i*s, in0 + (i+1)*s) with s = (in1 - in0) / outSize.
/// The triangle's support is 1 input pixel when enlarging and s input pixels when reducing (the
/// antialiasing: every input pixel under the output pixel contributes). Weights are normalised to
/// sum 1 and stored as integers scaled by 2^22.
struct ResampleTaps {
    static let precisionBits = 22

    /// First input index of output i's taps.
    private(set) var start: [Int]
    /// Number of taps of output i.
    private(set) var count: [Int]
    /// Weights of output i at `i * stride ..< i * stride + count[i]`.
    private(set) var weights: [Int32]
    let stride: Int

    init(inSize: Int, in0: Double, in1: Double, outSize: Int) {
        // Pillow passes the box as 32-bit floats.
        let lo = Double(Float(in0)), hi = Double(Float(in1))
        let scale = Double(Float(hi) - Float(lo)) / Double(outSize)
        let filterScale = max(scale, 1.0)
        let support = filterScale
        stride = Int(support.rounded(.up)) * 2 + 1
        start = [Int](repeating: 0, count: outSize)
        count = [Int](repeating: 0, count: outSize)
        weights = [Int32](repeating: 0, count: outSize * stride)
        var row = [Double](repeating: 0, count: stride)
        let inverseScale = 1.0 / filterScale
        for i in 0..<outSize {
            let center = lo + (Double(i) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let end = min(Int(center + support + 0.5), inSize)
            let n = max(end - first, 0)
            var total = 0.0
            for k in 0..<n {
                let w = Self.triangle((Double(k + first) - center + 0.5) * inverseScale)
                row[k] = w
                total += w
            }
            for k in 0..<n {
                let w = total != 0 ? row[k] / total : row[k]
                let fixed = w * Double(1 << Self.precisionBits)
                weights[i * stride + k] = Int32(w < 0 ? fixed - 0.5 : fixed + 0.5)
            }
            start[i] = first
            count[i] = n
        }
    }

    private static func triangle(_ x: Double) -> Double {
        let a = abs(x)
        return a < 1.0 ? 1.0 - a : 0.0
    }

    /// The fixed-point sum back to a byte, clamped.
    @inline(__always) static func clamp(_ sum: Int32) -> UInt8 {
        let v = sum >> Int32(precisionBits)
        return v <= 0 ? 0 : (v >= 255 ? 255 : UInt8(truncatingIfNeeded: v))
    }

    /// The rounding offset every sum starts from.
    static let half = Int32(1 << (precisionBits - 1))
}
