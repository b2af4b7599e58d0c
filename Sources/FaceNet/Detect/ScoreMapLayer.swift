/// The detector's last layer, a 9x9 convolution from 45 channels to one score map per detector
/// window. As a oneDNN convolution it runs at ~11 GFLOPS (one output channel starves the
/// kernels); as one matrix product it is fast: every input pixel times every (map, kernel tap)
/// gives k*k partial maps per score map, which are then added together each shifted by its tap's
/// offset. Zero padding is implicit: taps that fall outside the input add nothing.
struct ScoreMapLayer: Sendable {
    let maps: Int
    let inChannels: Int
    let kernel: Int
    let padding: Int
    /// Row (map * kernel * kernel + tap), column input channel: the product's left matrix.
    let tapWeights: [Float]
    let bias: [Float]

    init(_ layer: DetectorConvLayer) {
        maps = layer.outChannels
        inChannels = layer.inChannels
        kernel = layer.kernel
        padding = layer.padding
        bias = layer.bias
        let taps = layer.kernel * layer.kernel
        var matrix = [Float](repeating: 0, count: maps * taps * inChannels)
        for o in 0..<maps {
            for i in 0..<inChannels {
                for t in 0..<taps {
                    // dlib order [out][in][row][column]; tap t = row * kernel + column.
                    matrix[(o * taps + t) * inChannels + i] = layer.weights[(o * inChannels + i) * taps + t]
                }
            }
        }
        tapWeights = matrix
    }

    var partialMapCount: Int { maps * kernel * kernel }

    /// - Parameters:
    ///   - input: NHWC, `height` x `width` x `inChannels`; zero outside the valid region.
    ///   - partials: room for `partialMapCount * height * width` floats.
    ///   - output: `maps` planes of `height` x `width`; only the `validHeight` x `validWidth`
    ///     corner is written.
    func run(engine: NetEngine, input: UnsafePointer<Float>, height: Int, width: Int,
             validHeight: Int, validWidth: Int,
             partials: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) throws {
        let pixels = height * width
        try tapWeights.withUnsafeBufferPointer { a in
            guard let a = a.baseAddress else { return }
            try engine.sgemm(transposeA: false, transposeB: true, m: partialMapCount, n: pixels, k: inChannels,
                             alpha: 1, a: a, lda: inChannels, b: input, ldb: inChannels,
                             beta: 0, c: partials, ldc: pixels)
        }
        for map in 0..<maps {
            let plane = output + map * pixels
            ParallelBands.run(validHeight, threads: engine.threads, minimumRows: 8) { band in
                for y in band {
                    accumulateRow(y: y, map: map, partials: UnsafePointer(partials), height: height, width: width,
                                  validWidth: validWidth, into: plane + y * width)
                }
            }
        }
    }

    private func accumulateRow(y: Int, map: Int, partials: UnsafePointer<Float>, height: Int, width: Int,
                               validWidth: Int, into row: UnsafeMutablePointer<Float>) {
        let pixels = height * width
        row.update(repeating: bias[map], count: validWidth)
        for ky in 0..<kernel {
            let sourceY = y + ky - padding
            guard sourceY >= 0, sourceY < height else { continue }
            for kx in 0..<kernel {
                let dx = kx - padding
                let start = max(0, -dx)
                let end = min(validWidth, width - dx)
                guard start < end else { continue }
                let tap = (map * kernel + ky) * kernel + kx
                let source = partials + tap * pixels + sourceY * width + dx
                for x in start..<end { row[x] += source[x] }
            }
        }
    }
}
