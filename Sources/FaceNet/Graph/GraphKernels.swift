#if canImport(Glibc)
import Glibc
#endif

/// The graph operations oneDNN does not run for us: cheap elementwise passes over NHWC buffers.
enum GraphKernels {
    static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = a[i] + b[i] }
    }

    /// out[p][c] = x[p][c] * scale[c] for `pixels` rows of `channels`.
    static func multiplyChannels(_ x: UnsafePointer<Float>, by scale: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                                 pixels: Int, channels: Int) {
        for p in 0..<pixels {
            let row = p * channels
            for c in 0..<channels { out[row + c] = x[row + c] * scale[c] }
        }
    }

    static func channelAffine(_ x: UnsafePointer<Float>, scale: [Float], shift: [Float], into out: UnsafeMutablePointer<Float>,
                              pixels: Int) {
        let channels = scale.count
        scale.withUnsafeBufferPointer { s in
            shift.withUnsafeBufferPointer { t in
                for p in 0..<pixels {
                    let row = p * channels
                    for c in 0..<channels { out[row + c] = x[row + c] * s[c] + t[c] }
                }
            }
        }
    }

    static func activation(_ kind: GraphActivation, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        switch kind {
        case .none: for i in 0..<count { out[i] = x[i] }
        case .relu: for i in 0..<count { out[i] = max(x[i], 0) }
        case let .leakyRelu(slope): for i in 0..<count { out[i] = x[i] >= 0 ? x[i] : x[i] * slope }
        case .sigmoid: for i in 0..<count { out[i] = 1 / (1 + expf(-x[i])) }
        }
    }

    /// Mean of each channel over all pixels.
    static func globalAveragePool(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, pixels: Int, channels: Int) {
        for c in 0..<channels { out[c] = 0 }
        for p in 0..<pixels {
            let row = p * channels
            for c in 0..<channels { out[c] += x[row + c] }
        }
        let inverse = 1 / Float(pixels)
        for c in 0..<channels { out[c] *= inverse }
    }

    static func resizeNearest(_ x: UnsafePointer<Float>, _ shape: TensorShape, factorY: Int, factorX: Int,
                              into out: UnsafeMutablePointer<Float>) {
        let c = shape.channels
        let outWidth = shape.width * factorX
        for y in 0..<(shape.height * factorY) {
            let sourceRow = x + (y / factorY) * shape.width * c
            let row = out + y * outWidth * c
            for ox in 0..<outWidth {
                (row + ox * c).update(from: sourceRow + (ox / factorX) * c, count: c)
            }
        }
    }
}
