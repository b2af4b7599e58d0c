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
        var codes = [Int8](repeating: 0, count: padded)
        let (scale, norm2) = codes.withUnsafeMutableBytes { sketch(vector, padded: padded, into: $0.baseAddress!) }
        return Sketch(scale: scale, norm2: norm2, codes: codes)
    }

    /// Writes the `padded` codes of `vector` to `codes` and returns scale and norm2. No allocation
    /// and no libm call per value, 16 values at a time: open derives a sketch for every template
    /// it decrypts. The lanes do the scalar tail's arithmetic, so results do not depend on it.
    static func sketch(_ vector: UnsafeBufferPointer<Float>, padded: Int,
                       into codes: UnsafeMutableRawPointer) -> (scale: Float, norm2: Float) {
        codes.initializeMemory(as: Int8.self, repeating: 0, count: padded)
        guard let base = vector.baseAddress else { return (0, 0) }
        let values = UnsafeRawPointer(base)
        let whole = vector.count / 16 * 16
        // NaN never wins a comparison, so it is skipped here as by `max` below.
        var lanesMax = SIMD16<Float>()
        for i in stride(from: 0, to: whole, by: 16) {
            let x = values.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            let a = x.replacing(with: -x, where: x .< 0)
            lanesMax.replace(with: a, where: a .> lanesMax)
        }
        var maxAbs = lanesMax.max()
        for x in vector[whole...] { maxAbs = max(maxAbs, abs(x)) }
        guard maxAbs > 0 else { return (0, 0) }
        let scale = maxAbs / Float(levels)
        let limit = Float(levels)
        // Clamped first (NaN becomes -limit), then rounded to nearest even by adding 1.5 * 2^23,
        // exact for |y| <= 2^22, whose float then holds the integer in its low bits (and
        // subtracting 1.5 * 2^23 gives it back as a float); any round-to-nearest keeps
        // |v_i - s*c_i| <= s/2.
        let magic: Float = 12_582_912
        var lanesSum = SIMD16<Int32>()
        for i in stride(from: 0, to: whole, by: 16) {
            var y = values.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) / scale
            y.replace(with: -limit, where: .!(y .>= -limit))
            y.replace(with: limit, where: .!(y .<= limit))
            let c = unsafeBitCast(y + magic, to: SIMD16<Int32>.self) &- Int32(bitPattern: magic.bitPattern)
            codes.storeBytes(of: SIMD16<Int8>(truncatingIfNeeded: c), toByteOffset: i, as: SIMD16<Int8>.self)
            lanesSum &+= c &* c
        }
        var sum = lanesSum.wrappedSum()
        for i in whole..<vector.count {
            var y = vector[i] / scale
            y = y >= -limit ? y : -limit
            y = y <= limit ? y : limit
            y = (y + magic) - magic
            let c = Int32(y)
            codes.storeBytes(of: Int8(truncatingIfNeeded: c), toByteOffset: i, as: Int8.self)
            sum += c * c
        }
        return (scale, scale * scale * Float(sum))
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
