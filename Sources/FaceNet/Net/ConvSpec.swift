/// The fixed numbers of one 2-D convolution (cross-correlation, as dlib and oneDNN compute it).
public struct ConvSpec: Hashable, Sendable, CustomStringConvertible {
    public let outChannels: Int
    public let inChannels: Int
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let strideY: Int
    public let strideX: Int
    public let padY: Int
    public let padX: Int

    public init(outChannels: Int, inChannels: Int, kernelHeight: Int, kernelWidth: Int,
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

    public var weightCount: Int { outChannels * inChannels * kernelHeight * kernelWidth }
    public var description: String {
        "conv \(inChannels)->\(outChannels) \(kernelHeight)x\(kernelWidth) stride \(strideY),\(strideX) pad \(padY),\(padX)"
    }

    /// Output shape for `input` (floor division, symmetric padding: dlib's and oneDNN's rule).
    public func output(for input: TensorShape) throws -> TensorShape {
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
    public func macs(for input: TensorShape) -> Int {
        guard let out = try? output(for: input) else { return 0 }
        return out.elementCount * inChannels * kernelHeight * kernelWidth
    }
}
