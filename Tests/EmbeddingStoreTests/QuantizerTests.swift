import XCTest
@testable import EmbeddingStore

final class QuantizerTests: XCTestCase {
    func testSketchStaysWithinItsErrorBound() {
        var rng = TestRNG(state: 51)
        let halfSqrt = Float(128).squareRoot() / 2
        for trial in 0..<500 {
            var v = randomUnitVector(rng: &rng)
            if trial % 3 == 0 { v = v.map { $0 * 40 } }
            let s = v.withUnsafeBufferPointer { Quantizer.sketch($0, padded: 128) }
            XCTAssertTrue(s.codes.allSatisfy { abs(Int($0)) <= Quantizer.levels })
            let err = zip(v, s.codes).map { ($0 - s.scale * Float($1)) * ($0 - s.scale * Float($1)) }.reduce(0, +).squareRoot()
            XCTAssertLessThanOrEqual(err, Quantizer.errorBound(scale: s.scale, halfSqrtDim: halfSqrt))
        }
        let zero = [Float](repeating: 0, count: 128).withUnsafeBufferPointer { Quantizer.sketch($0, padded: 128) }
        XCTAssertEqual(zero.scale, 0)
    }

    func testSketchInPlaceOverwritesDirtyMemoryAndRoundsToNearest() {
        var rng = TestRNG(state: 53)
        let v = randomUnitVector(120, rng: &rng)
        var codes = [Int8](repeating: 0x55, count: 128)
        let (scale, norm2) = v.withUnsafeBufferPointer { p in codes.withUnsafeMutableBytes { Quantizer.sketch(p, padded: 128, into: $0.baseAddress!) } }
        let maxAbs = v.map(abs).max()!
        XCTAssertEqual(scale, maxAbs / Float(Quantizer.levels))
        for i in 0..<120 { XCTAssertLessThanOrEqual(abs(v[i] / scale - Float(codes[i])), 0.5 + 1e-4, "value \(i)") }
        XCTAssertEqual(codes[120...].filter { $0 != 0 }.count, 0)
        XCTAssertEqual(norm2, scale * scale * Float(codes.reduce(0) { $0 + Int($1) * Int($1) }))
        let dirty = [Float](repeating: 0, count: 128).withUnsafeBufferPointer { p in codes.withUnsafeMutableBytes { Quantizer.sketch(p, padded: 128, into: $0.baseAddress!) } }
        XCTAssertEqual(dirty.scale, 0)
        XCTAssertEqual(codes, [Int8](repeating: 0, count: 128))
    }

    /// The 16-lane sketch against a value-by-value one (clamp, round to nearest even), on every
    /// length around the lane width and on NaN, infinities, signed zeros and huge values.
    func testSketchLanesMatchAValueByValueReference() {
        var rng = TestRNG(state: 54)
        for count in [1, 3, 15, 16, 17, 31, 32, 120, 128, 129] {
            for trial in 0..<20 {
                var v = randomUnitVector(count, rng: &rng).map { $0 * Float(trial + 1) }
                if trial % 4 == 1 { v[Int(rng.next() % UInt64(count))] = .nan }
                if trial % 4 == 2 { v[Int(rng.next() % UInt64(count))] = -0.0 }
                if trial % 4 == 3 { v[Int(rng.next() % UInt64(count))] = trial % 8 == 3 ? -.infinity : 3e38 }
                let padded = (count + 15) / 16 * 16
                var codes = [Int8](repeating: 0x55, count: padded)
                let got = v.withUnsafeBufferPointer { p in codes.withUnsafeMutableBytes { Quantizer.sketch(p, padded: padded, into: $0.baseAddress!) } }
                let maxAbs = v.reduce(Float(0)) { max($0, abs($1)) }
                let scale = maxAbs / Float(Quantizer.levels)
                // No finite nonzero value: no scale, all codes zero.
                let expected: [Int8] = maxAbs == 0 ? [Int8](repeating: 0, count: padded) : v.map { x in
                    let y = x / scale
                    return y >= -63 ? Int8(min(y, 63).rounded(.toNearestOrEven)) : -63
                } + [Int8](repeating: 0, count: padded - count)
                XCTAssertEqual(got.scale.bitPattern, scale.bitPattern, "\(count) values, trial \(trial)")
                XCTAssertEqual(codes, expected, "\(count) values, trial \(trial)")
                let sum = expected.reduce(Int32(0)) { $0 + Int32($1) * Int32($1) }
                XCTAssertEqual(got.norm2.bitPattern, (scale * scale * Float(sum)).bitPattern, "\(count) values, trial \(trial)")
            }
        }
    }

    func testSketchDotIsExact() {
        var rng = TestRNG(state: 52)
        let codes = (0..<256).map { _ in Int8(Int(rng.next() % 127) - 63) }
        let query = (0..<256).map { _ in Int16(Int(rng.next() % 127) - 63) }
        let lanes = (0..<16).map { b in SIMD16<Int16>((0..<16).map { query[b * 16 + $0] }) }
        let expected = zip(codes, query).reduce(Int32(0)) { $0 + Int32($1.0) * Int32($1.1) }
        let got = codes.withUnsafeBytes { c in lanes.withUnsafeBufferPointer { DistanceKernels.sketchDot(c.baseAddress!, $0.baseAddress!, blocks: 16) } }
        XCTAssertEqual(got, expected)
    }
}
