/// The few small steps of the face ResNet that oneDNN has no fused primitive for. Plain loops on
/// arena pointers: no allocation.
enum ResNetKernels {
    /// Interleaved RGB bytes to NHWC floats, (pixel - mean) / 256 as dlib's input_rgb_image does.
    static func normalize(_ pixels: UnsafePointer<UInt8>, count: Int, means: (Float, Float, Float),
                          into dst: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            dst[3 * i] = (Float(pixels[3 * i]) - means.0) / 256
            dst[3 * i + 1] = (Float(pixels[3 * i + 1]) - means.1) / 256
            dst[3 * i + 2] = (Float(pixels[3 * i + 2]) - means.2) / 256
        }
    }

    /// ares_down's shortcut: 2x2 stride-2 average of `src`, written into the `dst` tensor that has
    /// at least as many rows, columns and channels; everything outside the average is zero.
    static func averageDownIntoPadded(_ src: UnsafePointer<Float>, _ s: TensorShape,
                                      _ dst: UnsafeMutablePointer<Float>, _ d: TensorShape) {
        let oh = (s.height - 2) / 2 + 1, ow = (s.width - 2) / 2 + 1
        dst.update(repeating: 0, count: d.elementCount)
        for y in 0..<oh {
            for x in 0..<ow {
                let a = src + ((2 * y) * s.width + 2 * x) * s.channels
                let b = a + s.channels
                let c = a + s.width * s.channels
                let e = c + s.channels
                let o = dst + (y * d.width + x) * d.channels
                for k in 0..<s.channels { o[k] = (a[k] + b[k] + c[k] + e[k]) / 4 }
            }
        }
    }

    /// dst = max(0, dst + src) over src's extent, for a src smaller than dst in rows or columns.
    /// Outside that extent dst keeps the shortcut alone, already >= 0 (an average of ReLU outputs).
    static func addReLU(_ src: UnsafePointer<Float>, _ s: TensorShape, into dst: UnsafeMutablePointer<Float>, _ d: TensorShape) {
        for y in 0..<s.height {
            for x in 0..<s.width {
                let i = src + (y * s.width + x) * s.channels
                let o = dst + (y * d.width + x) * d.channels
                for k in 0..<s.channels { o[k] = max(0, o[k] + i[k]) }
            }
        }
    }

    /// avg_pool_everything then fc without bias: out[j] = sum_i mean_i * w[i][j].
    static func head(_ src: UnsafePointer<Float>, _ s: TensorShape, weights: UnsafePointer<Float>,
                     outputs: Int, pooled: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let cells = s.height * s.width
        for k in 0..<s.channels {
            var sum: Float = 0
            for p in 0..<cells { sum += src[p * s.channels + k] }
            pooled[k] = sum / Float(cells)
        }
        out.update(repeating: 0, count: outputs)
        for i in 0..<s.channels {
            let v = pooled[i]
            let row = weights + i * outputs
            for j in 0..<outputs { out[j] += v * row[j] }
        }
    }
}
