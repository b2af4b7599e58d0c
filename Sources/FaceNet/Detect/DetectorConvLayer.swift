/// One convolution of the detector with the batch-norm/affine layer that follows it folded in:
/// `relu?(conv(x, weights) + bias)`.
struct DetectorConvLayer: Sendable {
    let inChannels: Int
    let outChannels: Int
    /// Square kernels only (the detector uses 5x5 and 9x9).
    let kernel: Int
    let stride: Int
    let padding: Int
    let relu: Bool
    /// dlib's layout: [out][in][row][column].
    let weights: [Float]
    let bias: [Float]

    /// dlib's output size: 1 + (input + 2*padding - kernel) / stride, or 0 when the kernel does not fit.
    func outputSize(_ input: Int) -> Int {
        let span = input + 2 * padding - kernel
        return span < 0 ? 0 : 1 + span / stride
    }

    /// con_::map_output_to_input: where an output position's kernel is centred in the input.
    func mapOutputToInput(_ p: Double) -> Double {
        p * Double(stride) - Double(padding) + Double(kernel / 2)
    }
}

/// The architecture of dlib's `mmod_human_face_detector.dat` (dlib/examples/dnn_mmod_face_detection_ex.cpp):
/// three 5x5 stride-2 convolutions (16, 32, 32 filters) each with affine+relu, three 5x5 stride-1
/// convolutions with 45 filters each with affine+relu, and a 9x9 convolution to one score map.
struct DetectorArchitecture {
    struct Conv: Equatable {
        let filters: Int
        let kernel: Int
        let stride: Int
        let padding: Int
        let relu: Bool
    }

    static let faceDetector: [Conv] = [
        Conv(filters: 16, kernel: 5, stride: 2, padding: 0, relu: true),
        Conv(filters: 32, kernel: 5, stride: 2, padding: 0, relu: true),
        Conv(filters: 32, kernel: 5, stride: 2, padding: 0, relu: true),
        Conv(filters: 45, kernel: 5, stride: 1, padding: 2, relu: true),
        Conv(filters: 45, kernel: 5, stride: 1, padding: 2, relu: true),
        Conv(filters: 45, kernel: 5, stride: 1, padding: 2, relu: true),
        Conv(filters: 1, kernel: 9, stride: 1, padding: 4, relu: false),
    ]
}
