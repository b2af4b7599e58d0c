import XCTest
@testable import FaceNet

/// The 9x9 score layer as one sgemm plus shifted adds equals a plain zero-padded convolution.
final class DetectorScoreMapLayerTests: XCTestCase {
    func testMatchesADirectConvolutionWithZeroPadding() throws {
        let (maps, channels, kernel, padding) = (2, 5, 9, 4)
        let (height, width) = (13, 17)          // buffer
        let (validHeight, validWidth) = (11, 14) // dlib's map; the rest of the buffer is zero
        var generator = SeededGenerator(seed: 7)
        let weights = (0..<(maps * channels * kernel * kernel)).map { _ in Float.random(in: -1...1, using: &generator) }
        let bias: [Float] = [0.25, -0.5]
        var input = [Float](repeating: 0, count: height * width * channels)
        for y in 0..<validHeight {
            for x in 0..<validWidth {
                for c in 0..<channels { input[(y * width + x) * channels + c] = Float.random(in: -1...1, using: &generator) }
            }
        }
        let layer = ScoreMapLayer(DetectorConvLayer(inChannels: channels, outChannels: maps, kernel: kernel, stride: 1,
                                                    padding: padding, relu: false, weights: weights, bias: bias))
        var partials = [Float](repeating: .nan, count: layer.partialMapCount * height * width)
        var output = [Float](repeating: .nan, count: maps * height * width)
        let engine = try NetEngine(threads: 2)
        try input.withUnsafeBufferPointer { input in
            try partials.withUnsafeMutableBufferPointer { partials in
                try output.withUnsafeMutableBufferPointer { output in
                    try layer.run(engine: engine, input: input.baseAddress!, height: height, width: width,
                                  validHeight: validHeight, validWidth: validWidth,
                                  partials: partials.baseAddress!, output: output.baseAddress!)
                }
            }
        }
        for m in 0..<maps {
            for y in 0..<validHeight {
                for x in 0..<validWidth {
                    var expected = Double(bias[m])
                    for c in 0..<channels {
                        for ky in 0..<kernel {
                            for kx in 0..<kernel {
                                let (sy, sx) = (y + ky - padding, x + kx - padding)
                                guard sy >= 0, sy < validHeight, sx >= 0, sx < validWidth else { continue }
                                expected += Double(weights[((m * channels + c) * kernel + ky) * kernel + kx])
                                    * Double(input[(sy * width + sx) * channels + c])
                            }
                        }
                    }
                    XCTAssertEqual(Double(output[(m * height + y) * width + x]), expected, accuracy: 1e-4, "map \(m) (\(x), \(y))")
                }
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) so the test data is the same on every run.
private struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
