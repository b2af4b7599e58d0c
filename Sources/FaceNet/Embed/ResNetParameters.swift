/// The face ResNet's numbers as read from dlib's file, affine layers already folded into the
/// convolutions (w' = w * gamma, b' = b * gamma + beta, per output channel).
struct ResNetParameters: Sendable {
    /// dlib's input means, subtracted before dividing by 256.
    let meanRed: Float
    let meanGreen: Float
    let meanBlue: Float
    /// The 29 convolutions, input to output (stem, then two per residual block).
    let convolutions: [DlibConvLayer]
    /// fc weights, [input 256][output 128].
    let fcWeights: [Float]
    let fcInputs: Int
    let fcOutputs: Int
}
