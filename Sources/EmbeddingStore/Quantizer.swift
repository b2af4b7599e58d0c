/// Int8 sketches for the search pre-filter, with the error bounds that make the pre-filter exact.
///
/// A vector v is stored as scale s = max|v_i| / 63 and codes c_i = round(v_i / s), so
/// |v_i - s*c_i| ≤ s/2 and the sketch s*c lies within eps_v = (s/2)*sqrt(D) of v. The query is
/// quantised the same way (scale t, codes k, within eps_q). By the triangle inequality the true
/// distance d(q, v) is within eps_q + eps_v of the sketch distance a = |t*k - s*c|, whose square
/// t^2|k|^2 - 2ts(k·c) + s^2|c|^2 is computed from an exact integer dot product. Only the three
/// float terms carry rounding, covered by `relativeSlack` and an absolute term in the search.
/// Codes are limited to ±63 so eight products (63 * 63 * 8 < 32767) sum exactly in Int16 lanes,
/// which keeps the scan kernel free of widening until the end of each 128 values.
enum Quantizer {
    static let levels = 63

    struct Sketch: Equatable {
        var scale: Float
        /// s^2 * |c|^2
        var norm2: Float
        var codes: [Int8]
    }

    /// Quantises `vector`, zero padded to `padded` codes.
    static func sketch(_ vector: UnsafeBufferPointer<Float>, padded: Int) -> Sketch {
        var maxAbs: Float = 0
        for x in vector { maxAbs = max(maxAbs, abs(x)) }
        var codes = [Int8](repeating: 0, count: padded)
        guard maxAbs > 0 else { return Sketch(scale: 0, norm2: 0, codes: codes) }
        let scale = maxAbs / Float(levels)
        var sum: Int = 0
        for i in 0..<vector.count {
            let c = Int8(max(-Float(levels), min(Float(levels), (vector[i] / scale).rounded())))
            codes[i] = c
            sum += Int(c) * Int(c)
        }
        return Sketch(scale: scale, norm2: scale * scale * Float(sum), codes: codes)
    }

    /// Bound on |v - s*c| for a vector of `dimension` values with scale `scale`. The factor above
    /// 0.5 absorbs the rounding of v_i / s.
    @inline(__always) static func errorBound(scale: Float, halfSqrtDim: Float) -> Float {
        scale * halfSqrtDim * 1.0001
    }

    /// Relative slack applied to squared bounds: covers Float32 rounding of the three sketch terms
    /// and of the exact Float32 distance the re-rank computes (about D * 2^-24 relative).
    static let relativeSlack: Float = 1e-4
}
