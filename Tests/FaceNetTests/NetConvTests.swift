import XCTest
@testable import FaceNet

/// Checks oneDNN's convolution and pooling against a direct loop on small random problems.
final class NetConvTests: XCTestCase {
    private func random(_ count: Int, seed: inout UInt64) -> [Float] {
        (0..<count).map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(seed >> 40) % 2001 - 1000) / 1000
        }
    }

    /// Direct NHWC cross-correlation with OIHW weights.
    private func reference(_ spec: ConvSpec, _ input: TensorShape, _ x: [Float], _ w: [Float], _ b: [Float]) throws -> [Float] {
        let out = try spec.output(for: input)
        var y = [Float](repeating: 0, count: out.elementCount)
        for oy in 0..<out.height {
            for ox in 0..<out.width {
                for o in 0..<spec.outChannels {
                    var sum = b[o]
                    for ky in 0..<spec.kernelHeight {
                        let iy = oy * spec.strideY - spec.padY + ky
                        guard iy >= 0, iy < input.height else { continue }
                        for kx in 0..<spec.kernelWidth {
                            let ix = ox * spec.strideX - spec.padX + kx
                            guard ix >= 0, ix < input.width else { continue }
                            for i in 0..<spec.inChannels {
                                let wi = ((o * spec.inChannels + i) * spec.kernelHeight + ky) * spec.kernelWidth + kx
                                sum += w[wi] * x[(iy * input.width + ix) * input.channels + i]
                            }
                        }
                    }
                    y[(oy * out.width + ox) * out.channels + o] = sum
                }
            }
        }
        return y
    }

    private func run(_ conv: Conv2D, _ x: [Float], initialOutput: [Float]? = nil) throws -> [Float] {
        var planner = ArenaPlanner()
        let a = planner.add(bytes: conv.input.byteCount, firstUse: 0, lastUse: 0)
        let b = planner.add(bytes: conv.output.byteCount, firstUse: 0, lastUse: 1)
        let s = planner.add(bytes: conv.scratchpadBytes, firstUse: 0, lastUse: 0)
        let arena = try TensorArena(plan: planner.plan())
        arena.floats(a).update(from: x, count: x.count)
        if let initialOutput { arena.floats(b).update(from: initialOutput, count: initialOutput.count) }
        try conv.execute(input: arena[a], output: arena[b], scratchpad: arena[s])
        return Array(UnsafeBufferPointer(start: arena.floats(b), count: conv.output.elementCount))
    }

    func testStridedConvolutionWithReLUMatchesDirectLoop() throws {
        var seed: UInt64 = 1
        let spec = ConvSpec(outChannels: 16, inChannels: 3, kernelHeight: 5, kernelWidth: 5, strideY: 2, strideX: 2)
        let input = TensorShape(height: 23, width: 19, channels: 3)
        let x = random(input.elementCount, seed: &seed), w = random(spec.weightCount, seed: &seed)
        let b = random(16, seed: &seed)
        let engine = try NetEngine(threads: 1)
        let conv = try engine.convolution(ConvWeights(spec: spec, oihw: w, bias: b, typicalInput: input), input: input, epilogue: .relu)
        XCTAssertEqual(conv.output, TensorShape(height: 10, width: 8, channels: 16))
        let expected = try reference(spec, input, x, w, b).map { max(0, $0) }
        let got = try run(conv, x)
        XCTAssertEqual(got.count, expected.count)
        for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, accuracy: 1e-4) }
        XCTAssertTrue(got.contains(0) && got.contains { $0 > 0 }, "ReLU should clip some outputs and keep others")
    }

    func testAccumulateReLUAddsTheShortcutBeforeClipping() throws {
        var seed: UInt64 = 7
        let spec = ConvSpec(outChannels: 32, inChannels: 32, kernelHeight: 3, kernelWidth: 3, padY: 1, padX: 1)
        let input = TensorShape(height: 9, width: 9, channels: 32)
        let x = random(input.elementCount, seed: &seed), w = random(spec.weightCount, seed: &seed)
        let b = random(32, seed: &seed), shortcut = random(input.elementCount, seed: &seed)
        let engine = try NetEngine(threads: 1)
        let conv = try engine.convolution(ConvWeights(spec: spec, oihw: w, bias: b, typicalInput: input), input: input, epilogue: .accumulateRelu)
        let expected = zip(try reference(spec, input, x, w, b), shortcut).map { max(0, $0 + $1) }
        let got = try run(conv, x, initialOutput: shortcut)
        for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, accuracy: 1e-4) }
    }

    func testMaxPoolMatchesDirectLoop() throws {
        var seed: UInt64 = 3
        let input = TensorShape(height: 11, width: 12, channels: 8)
        let x = random(input.elementCount, seed: &seed)
        let engine = try NetEngine(threads: 1)
        let pool = try engine.pooling(PoolSpec(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2), input: input)
        XCTAssertEqual(pool.output, TensorShape(height: 5, width: 5, channels: 8))
        var planner = ArenaPlanner()
        let a = planner.add(bytes: input.byteCount, firstUse: 0, lastUse: 0)
        let b = planner.add(bytes: pool.output.byteCount, firstUse: 0, lastUse: 0)
        let s = planner.add(bytes: pool.scratchpadBytes, firstUse: 0, lastUse: 0)
        let arena = try TensorArena(plan: planner.plan())
        arena.floats(a).update(from: x, count: x.count)
        try pool.execute(input: arena[a], output: arena[b], scratchpad: arena[s])
        for oy in 0..<5 { for ox in 0..<5 { for c in 0..<8 {
            var m = -Float.infinity
            for ky in 0..<3 { for kx in 0..<3 { m = max(m, x[((oy * 2 + ky) * 12 + ox * 2 + kx) * 8 + c]) } }
            XCTAssertEqual(arena.floats(b)[(oy * 5 + ox) * 8 + c], m)
        } } }
    }

    func testBadShapesAreTypedErrors() throws {
        let spec = ConvSpec(outChannels: 4, inChannels: 3, kernelHeight: 9, kernelWidth: 9)
        XCTAssertThrowsError(try spec.output(for: TensorShape(height: 5, width: 20, channels: 3)))
        XCTAssertThrowsError(try spec.output(for: TensorShape(height: 20, width: 20, channels: 4)))
        XCTAssertThrowsError(try ConvWeights(spec: spec, oihw: [1, 2], bias: [0, 0, 0, 0],
                                             typicalInput: TensorShape(height: 20, width: 20, channels: 3))) { error in
            XCTAssertEqual(error as? NetError, .sizeMismatch(what: "weights of \(spec)", expected: spec.weightCount, found: 2))
        }
    }

    /// im2col + 1x1 convolution computes the KxK convolution: padded and strided, with the
    /// accumulate epilogue the residual blocks use.
    func testIm2ColThenPointwiseMatchesDirectLoop() throws {
        var seed: UInt64 = 7
        let engine = try NetEngine(threads: 1)
        for (spec, input) in [
            (ConvSpec(outChannels: 12, inChannels: 8, kernelHeight: 3, kernelWidth: 3, padY: 1, padX: 1), TensorShape(height: 5, width: 6, channels: 8)),
            (ConvSpec(outChannels: 16, inChannels: 8, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2), TensorShape(height: 7, width: 9, channels: 8)),
        ] {
            let x = random(input.elementCount, seed: &seed), w = random(spec.weightCount, seed: &seed)
            let b = random(spec.outChannels, seed: &seed)
            let weights = try Im2ColWeights(spec: spec, oihw: w, bias: b, typicalInput: input)
            let gather = try Im2Col(spec: spec, input: input)
            XCTAssertEqual(gather.patches.channels, 9 * input.channels)
            var patches = [Float](repeating: .nan, count: gather.patches.elementCount)
            x.withUnsafeBufferPointer { gather.run($0.baseAddress!, into: &patches) }
            XCTAssertFalse(patches.contains { $0.isNaN }, "every patch cell written, padding as zeros")
            let addend = random(try spec.output(for: input).elementCount, seed: &seed)
            let conv = try engine.convolution(weights.gemm, input: gather.patches, epilogue: .accumulate)
            let y = try run(conv, patches, initialOutput: addend)
            let expected = zip(try reference(spec, input, x, w, b), addend).map { $0 + $1 }
            XCTAssertEqual(y.count, expected.count)
            XCTAssertLessThan(zip(y, expected).map { abs($0 - $1) }.max() ?? 1, 1e-4, "\(spec)")
        }
    }
}
