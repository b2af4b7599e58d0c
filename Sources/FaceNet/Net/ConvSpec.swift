/// The fixed numbers of one 2-D convolution (cross-correlation, as dlib and oneDNN compute it).
struct ConvSpec: Hashable, Sendable, CustomStringConvertible {
    let outChannels: Int
    let inChannels: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let strideY: Int
    let strideX: Int
    let padY: Int
    let padX: Int

    init(outChannels: Int, inChannels: Int, kernelHeight: Int, kernelWidth: Int,
                strideY: Int = 1, strideX: Int = 1, padY: Int = 0, padX: Int = 0) {
        self.outChannels = outChannels
        self.inChannels = inChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
        self.padY = padY
        self.padX = padX
    }

    var weightCount: Int { outChannels * inChannels * kernelHeight * kernelWidth }
    var description: String {
        "conv \(inChannels)->\(outChannels) \(kernelHeight)x\(kernelWidth) stride \(strideY),\(strideX) pad \(padY),\(padX)"
    }

    /// Output shape for `input` (floor division, symmetric padding: dlib's and oneDNN's rule).
    func output(for input: TensorShape) throws -> TensorShape {
        guard outChannels > 0, inChannels > 0, kernelHeight > 0, kernelWidth > 0, strideY > 0, strideX > 0,
              padY >= 0, padX >= 0 else { throw NetError.invalidLayer("\(self)") }
        guard input.channels == inChannels else {
            throw NetError.invalidLayer("\(self) given input \(input)")
        }
        let h = (input.height + 2 * padY - kernelHeight) / strideY + 1
        let w = (input.width + 2 * padX - kernelWidth) / strideX + 1
        guard input.height + 2 * padY >= kernelHeight, input.width + 2 * padX >= kernelWidth, h > 0, w > 0 else {
            throw NetError.invalidLayer("\(self) does not fit input \(input)")
        }
        return TensorShape(height: h, width: w, channels: outChannels)
    }

    /// Multiply-accumulates for one input of this shape.
    func macs(for input: TensorShape) -> Int {
        guard let out = try? output(for: input) else { return 0 }
        return out.elementCount * inChannels * kernelHeight * kernelWidth
    }
}
