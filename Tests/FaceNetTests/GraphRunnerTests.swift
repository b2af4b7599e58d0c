@testable import FaceNet
import XCTest

/// The graph runner against a plain nested-loop evaluation of the same small network: a grouped
/// strided convolution with asymmetric padding, a folded affine and PReLU, a depthwise
/// convolution, nearest upsampling, a residual add, and a squeeze-excitation rescale.
final class GraphRunnerTests: XCTestCase {
    private struct Tensor {
        var h: Int, w: Int, c: Int
        var v: [Float]
        subscript(y: Int, x: Int, ch: Int) -> Float {
            get { v[(y * w + x) * c + ch] }
            set { v[(y * w + x) * c + ch] = newValue }
        }
    }

    private func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(sin(Double($0 * 7 + seed * 13)) * 0.5) }
    }

    private func convolve(_ x: Tensor, _ c: GraphConvolution) -> Tensor {
        let oh = (x.h + c.padTop + c.padBottom - c.kernelHeight) / c.strideY + 1
        let ow = (x.w + c.padLeft + c.padRight - c.kernelWidth) / c.strideX + 1
        var out = Tensor(h: oh, w: ow, c: c.outChannels, v: Array(repeating: 0, count: oh * ow * c.outChannels))
        let inPerGroup = c.inChannels / c.groups, outPerGroup = c.outChannels / c.groups
        for oy in 0..<oh { for ox in 0..<ow { for o in 0..<c.outChannels {
            var sum = c.bias[o]
            let g = o / outPerGroup
            for i in 0..<inPerGroup { for ky in 0..<c.kernelHeight { for kx in 0..<c.kernelWidth {
                let y = oy * c.strideY + ky - c.padTop, xx = ox * c.strideX + kx - c.padLeft
                guard y >= 0, y < x.h, xx >= 0, xx < x.w else { continue }
                sum += c.weights[((o * inPerGroup + i) * c.kernelHeight + ky) * c.kernelWidth + kx] * x[y, xx, g * inPerGroup + i]
            } } }
            out[oy, ox, o] = sum
        } } }
        return out
    }

    func testRunnerMatchesANestedLoopEvaluation() throws {
        let conv1 = GraphConvolution(outChannels: 6, inChannels: 4, groups: 2, kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2,
                                     padTop: 1, padLeft: 0, padBottom: 0, padRight: 1,
                                     weights: values(6 * 2 * 9, seed: 1), bias: values(6, seed: 2))
        let depthwise = GraphConvolution(outChannels: 6, inChannels: 6, groups: 6, kernelHeight: 3, kernelWidth: 3, strideY: 1, strideX: 1,
                                         padTop: 1, padLeft: 1, padBottom: 1, padRight: 1,
                                         weights: values(6 * 9, seed: 3), bias: values(6, seed: 4))
        let squeeze = GraphConvolution(outChannels: 6, inChannels: 6, groups: 1, kernelHeight: 1, kernelWidth: 1, strideY: 1, strideX: 1,
                                       padTop: 0, padLeft: 0, padBottom: 0, padRight: 0,
                                       weights: values(36, seed: 5), bias: values(6, seed: 6))
        let scale = values(6, seed: 7).map { $0 + 1 }, shift = values(6, seed: 8)
        var b = GraphBuilder(inputChannels: 4)
        let c1 = b.append(.convolution(conv1), inputs: [0], label: "conv1")
        let affine = b.append(.channelAffine(scale: scale, shift: shift), inputs: [c1], label: "bn")
        let act = b.append(.activation(.leakyRelu(0.25)), inputs: [affine], label: "prelu")
        let dw = b.append(.convolution(depthwise), inputs: [act], label: "dw")
        let sum = b.append(.add, inputs: [dw, act], label: "add")
        let pooled = b.append(.globalAveragePool, inputs: [sum], label: "gap")
        let gate = b.append(.convolution(squeeze), inputs: [pooled], label: "fc")
        let sig = b.append(.activation(.sigmoid), inputs: [gate], label: "sigmoid")
        let scaled = b.append(.multiplyChannels, inputs: [sum, sig], label: "se")
        let up = b.append(.resizeNearest(factorY: 2, factorX: 3), inputs: [scaled], label: "up")
        let model = b.finish(outputs: [("up", up), ("act", act)])
        XCTAssertEqual(model.nodes.count, 7, "affine, PReLU and sigmoid fold into their convolutions")

        let runner = try GraphRunner(model: model, engine: NetEngine(threads: 1), height: 9, width: 8)
        let input = Tensor(h: 9, w: 8, c: 4, v: values(9 * 8 * 4, seed: 9))
        runner.input.update(from: input.v, count: input.v.count)
        try runner.run()

        // The same network, loop by loop.
        var a = convolve(input, conv1)
        for i in a.v.indices {
            let v = a.v[i] * scale[i % 6] + shift[i % 6]
            a.v[i] = v >= 0 ? v : v * 0.25
        }
        var s = convolve(a, depthwise)
        for i in s.v.indices { s.v[i] += a.v[i] }
        var mean = Tensor(h: 1, w: 1, c: 6, v: Array(repeating: 0, count: 6))
        for i in s.v.indices { mean.v[i % 6] += s.v[i] / Float(s.h * s.w) }
        let g = convolve(mean, squeeze).v.map { 1 / (1 + exp(-$0)) }
        var expected: [Float] = []
        for y in 0..<(s.h * 2) { for x in 0..<(s.w * 3) { for ch in 0..<6 { expected.append(s[y / 2, x / 3, ch] * g[ch]) } } }

        let shape = runner.shapes[try XCTUnwrap(model.value(named: "up"))]
        XCTAssertEqual(shape, TensorShape(height: s.h * 2, width: s.w * 3, channels: 6))
        let got = Array(UnsafeBufferPointer(start: runner.output(try XCTUnwrap(model.value(named: "up"))), count: expected.count))
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-5)
        let kept = Array(UnsafeBufferPointer(start: runner.output(try XCTUnwrap(model.value(named: "act"))), count: a.v.count))
        XCTAssertLessThan(zip(kept, a.v).map { abs($0 - $1) }.max() ?? .infinity, 1e-5, "a value read later stays intact")
    }
}
