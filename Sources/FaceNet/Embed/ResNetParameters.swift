/// The face ResNet's numbers as read from dlib's file, affine layers already folded into the
/// convolutions (w' = w * gamma, b' = b * gamma + beta, per output channel).
public struct ResNetParameters: Sendable {
    /// dlib's input means, subtracted before dividing by 256.
    public let meanRed: Float
    public let meanGreen: Float
    public let meanBlue: Float
    /// The 29 convolutions, input to output (stem, then two per residual block).
    public let convolutions: [DlibConvLayer]
    /// fc weights, [input 256][output 128].
    public let fcWeights: [Float]
    public let fcInputs: Int
    public let fcOutputs: Int
}
