/// SIMD inner loops. Vectors are zero padded to a multiple of 16 values, so every loop runs on
/// whole 16-lane blocks. Written without fused multiply-add, which baseline x86-64 lacks.
enum DistanceKernels {
    /// Squared Euclidean distance between two padded Float32 vectors of `blocks` * 16 values.
    @inline(__always)
    static func squaredL2(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, blocks: Int) -> Float {
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var j = 0
        while j + 1 < blocks {
            let d0 = a.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self) - b.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self)
            let d1 = a.loadUnaligned(fromByteOffset: j * 64 + 64, as: SIMD16<Float>.self) - b.loadUnaligned(fromByteOffset: j * 64 + 64, as: SIMD16<Float>.self)
            acc0 += d0 * d0
            acc1 += d1 * d1
            j += 2
        }
        if j < blocks {
            let d0 = a.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self) - b.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self)
            acc0 += d0 * d0
        }
        return (acc0 + acc1).sum()
    }

    /// Squared Euclidean distance between `a` and `b` scaled by `scale` (padded Float32 vectors of
    /// `blocks` * 16 values): the angular metric's exact distance, |q - v / |v||^2, computed as a
    /// difference so that near vectors keep their small distance (2 - 2 cos would cancel).
    @inline(__always)
    static func squaredL2(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, scaledBy scale: Float, blocks: Int) -> Float {
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var j = 0
        while j + 1 < blocks {
            let d0 = a.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self) - scale * b.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self)
            let d1 = a.loadUnaligned(fromByteOffset: j * 64 + 64, as: SIMD16<Float>.self) - scale * b.loadUnaligned(fromByteOffset: j * 64 + 64, as: SIMD16<Float>.self)
            acc0 += d0 * d0
            acc1 += d1 * d1
            j += 2
        }
        if j < blocks {
            let d0 = a.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self) - scale * b.loadUnaligned(fromByteOffset: j * 64, as: SIMD16<Float>.self)
            acc0 += d0 * d0
        }
        return (acc0 + acc1).sum()
    }

    /// Exact integer dot product of sketch codes with the query's codes (both within ±63, the
    /// query's held as Int16 lanes). Each lane sums at most eight products in Int16 (≤ 31752),
    /// then widens to Int32.
    @inline(__always)
    static func sketchDot(_ codes: UnsafeRawPointer, _ query: UnsafePointer<SIMD16<Int16>>, blocks: Int) -> Int32 {
        var total = SIMD8<Int32>()
        var j = 0
        while j < blocks {
            var acc = SIMD16<Int16>()
            let end = min(blocks, j + 8)
            while j < end {
                let c = SIMD16<Int16>(truncatingIfNeeded: codes.load(fromByteOffset: j * 16, as: SIMD16<Int8>.self))
                acc &+= c &* query[j]
                j += 1
            }
            total &+= SIMD8<Int32>(truncatingIfNeeded: acc.lowHalf) &+ SIMD8<Int32>(truncatingIfNeeded: acc.highHalf)
        }
        return total.wrappedSum()
    }
}
