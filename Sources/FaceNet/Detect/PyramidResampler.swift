/// dlib's bilinear `resize_image` on float planes (the SSE path of dlib/image_transforms/interpolation.h
/// that `input_rgb_image_pyramid` uses to shrink one tiled level into the next), reproduced operation
/// for operation so that our pyramid levels equal dlib's bit for bit: column positions advance
/// four at a time in float, blocks of four end where the last one's right neighbour would leave the
/// image, and the remaining columns use the scalar double/float formula.
///
/// Buffers are interleaved RGB, 3 floats per pixel; strides are in floats.
enum PyramidResampler {
    struct ColumnTap {
        var left: Int
        var right: Int
        /// Weight of the right pixel: float in the four-wide blocks, double in the scalar tail.
        var fraction: Float
        var scalarFraction: Double
        var isTail: Bool
    }

    static func columnTaps(inputWidth: Int, outputWidth: Int) -> [ColumnTap] {
        let xScale = Double(inputWidth - 1) / Double(max(outputWidth - 1, 1))
        var taps: [ColumnTap] = []
        taps.reserveCapacity(outputWidth)
        let start = -4 * xScale
        var lanes = (0..<4).map { Float(start + Double($0) * xScale) }
        let step = Float(4 * xScale)
        var c = 0
        while c < outputWidth {
            for j in 0..<4 { lanes[j] += step }
            let lefts = lanes.map { Int($0) }  // truncation, like _mm_cvttps_epi32 (values are >= 0)
            if lefts[3] + 1 >= inputWidth { break }
            for j in 0..<4 where c + j < outputWidth {
                taps.append(ColumnTap(left: lefts[j], right: lefts[j] + 1, fraction: lanes[j] - Float(lefts[j]),
                                      scalarFraction: 0, isTail: false))
            }
            c += 4
        }
        var x = -xScale + Double(c) * xScale
        while c < outputWidth {
            x += xScale
            let left = Int(x.rounded(.down))
            taps.append(ColumnTap(left: left, right: min(left + 1, inputWidth - 1), fraction: 0,
                                  scalarFraction: x - Double(left), isTail: true))
            c += 1
        }
        return taps
    }

    /// dlib's row positions: y starts at -yScale and has yScale added once per row, in double.
    static func rowPositions(inputHeight: Int, outputHeight: Int) -> [Double] {
        let yScale = Double(inputHeight - 1) / Double(max(outputHeight - 1, 1))
        var y = -yScale
        return (0..<max(outputHeight, 0)).map { _ in
            y += yScale
            return y
        }
    }

    /// Resizes an `inputWidth` x `inputHeight` region into an `outputWidth` x `outputHeight` one,
    /// writing output rows `rows` only (so that row bands can run on different threads).
    static func resize(
        source: UnsafePointer<Float>, sourceStride: Int, inputWidth: Int, inputHeight: Int,
        destination: UnsafeMutablePointer<Float>, destinationStride: Int, outputWidth: Int,
        taps: [ColumnTap], rowPositions: [Double], rows: Range<Int>
    ) {
        guard outputWidth > 0, inputWidth > 0, inputHeight > 0 else { return }
        taps.withUnsafeBufferPointer { taps in
            for r in rows {
                let y = rowPositions[r]
                let top = Int(y.rounded(.down))
                let bottom = min(top + 1, inputHeight - 1)
                let tb = y - Double(top)
                let tbFloat = Float(tb)
                let inverseTb = Float(1 - tb)
                let topRow = source + top * sourceStride
                let bottomRow = source + bottom * sourceStride
                let out = destination + r * destinationStride
                for c in 0..<outputWidth {
                    let tap = taps[c]
                    let l = tap.left * 3
                    let rt = tap.right * 3
                    let o = c * 3
                    if !tap.isTail {
                        let lr = tap.fraction
                        let inverseLr = 1 - lr
                        let tlf = inverseTb * inverseLr
                        let trf = inverseTb * lr
                        let blf = tbFloat * inverseLr
                        let brf = tbFloat * lr
                        // Three channels written out: the sum order is dlib's ((tl + tr) + bl) + br.
                        out[o] = tlf * topRow[l] + trf * topRow[rt] + blf * bottomRow[l] + brf * bottomRow[rt]
                        out[o + 1] = tlf * topRow[l + 1] + trf * topRow[rt + 1] + blf * bottomRow[l + 1] + brf * bottomRow[rt + 1]
                        out[o + 2] = tlf * topRow[l + 2] + trf * topRow[rt + 2] + blf * bottomRow[l + 2] + brf * bottomRow[rt + 2]
                    } else {
                        let lr = Float(tap.scalarFraction)
                        for k in 0..<3 {
                            let upper = (1 - lr) * topRow[l + k] + lr * topRow[rt + k]
                            let lower = (1 - lr) * bottomRow[l + k] + lr * bottomRow[rt + k]
                            out[o + k] = Float((1 - tb) * Double(upper) + tb * Double(lower))
                        }
                    }
                }
            }
        }
    }
}
