/// Weights for running a KxK convolution as im2col followed by a 1x1 convolution over the
/// gathered patches, that is, a GEMM with K = KH·KW·Cin.
///
/// Why: on small feature maps (the face ResNet's 17x17 down to 1x1 layers with 64–256 channels)
/// oneDNN's direct AVX2 kernel blocks over a handful of output pixels and reaches only 26–60
/// GFLOPS per core. Its 1x1 kernel runs the same work as one GEMM at 67–82 GFLOPS. Gathering the
/// patches costs one copy of the input per tap, which is cheap when the maps are small.
final class Im2ColWeights: Sendable {
    /// The original KxK convolution.
    let spec: ConvSpec
    /// The equivalent 1x1 convolution over patches: inChannels = KH·KW·Cin, in (ky, kx, c) order.
    let gemm: ConvWeights

    /// - Parameters:
    ///   - oihw: the KxK weights as [out][in][kh][kw].
    ///   - typicalInput: the KxK layer's input shape.
    init(spec: ConvSpec, oihw: [Float], bias: [Float], typicalInput: TensorShape) throws {
        guard oihw.count == spec.weightCount else {
            throw NetError.sizeMismatch(what: "weights of \(spec)", expected: spec.weightCount, found: oihw.count)
        }
        let taps = spec.kernelHeight * spec.kernelWidth
        let patch = taps * spec.inChannels
        var reordered = [Float](repeating: 0, count: spec.outChannels * patch)
        for o in 0..<spec.outChannels {
            for c in 0..<spec.inChannels {
                for t in 0..<taps {
                    reordered[o * patch + t * spec.inChannels + c] = oihw[(o * spec.inChannels + c) * taps + t]
                }
            }
        }
        let output = try spec.output(for: typicalInput)
        self.spec = spec
        gemm = try ConvWeights(spec: Im2Col.gemmSpec(for: spec), oihw: reordered, bias: bias,
                               typicalInput: TensorShape(height: output.height, width: output.width, channels: patch))
    }
}

/// Gathers each output pixel's KxK input patch (zeros where it overhangs the padding) into one
/// row of an NHWC tensor with KH·KW·Cin channels, in (ky, kx, c) order. Plain copies of channel
/// runs between arena buffers: no allocation.
struct Im2Col: Sendable {
    let spec: ConvSpec
    let input: TensorShape
    /// The patches tensor: the convolution's output size, KH·KW·Cin channels.
    let patches: TensorShape

    init(spec: ConvSpec, input: TensorShape) throws {
        let output = try spec.output(for: input)
        self.spec = spec
        self.input = input
        patches = TensorShape(height: output.height, width: output.width,
                              channels: spec.kernelHeight * spec.kernelWidth * spec.inChannels)
    }

    static func gemmSpec(for spec: ConvSpec) -> ConvSpec {
        ConvSpec(outChannels: spec.outChannels, inChannels: spec.kernelHeight * spec.kernelWidth * spec.inChannels,
                 kernelHeight: 1, kernelWidth: 1)
    }

    func run(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        let c = input.channels
        var out = destination
        for oy in 0..<patches.height {
            for ox in 0..<patches.width {
                for ky in 0..<spec.kernelHeight {
                    let iy = oy * spec.strideY - spec.padY + ky
                    for kx in 0..<spec.kernelWidth {
                        let ix = ox * spec.strideX - spec.padX + kx
                        if iy >= 0, iy < input.height, ix >= 0, ix < input.width {
                            out.update(from: source + (iy * input.width + ix) * c, count: c)
                        } else {
                            out.update(repeating: 0, count: c)
                        }
                        out += c
                    }
                }
            }
        }
    }
}
