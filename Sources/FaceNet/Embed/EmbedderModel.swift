import Foundation

/// The face descriptor network's weights, loaded and packed once per process and shared by every
/// `FaceEmbedder` (immutable, Sendable). Convolutions carry their folded affine layers and are
/// packed in the layout oneDNN chose for this CPU.
public final class EmbedderModel: Sendable {
    public static let fileName = "dlib_face_recognition_resnet_model_v1.dat"

    /// Largest input side run as im2col + GEMM. Measured per layer on 2 cores (one thread):
    /// 17x17 and smaller maps ran 1.3–2.4x faster that way (4x4x256: 0.25 against 0.60 ms);
    /// at 35x35 gathering the 1.4 MB of patches ate the gain. 0 runs every layer direct.
    public static let im2colMaxInputSide = 17

    struct Block: Sendable {
        let first: LayerWeights
        let second: LayerWeights
        let downsample: Bool
    }

    /// A 3x3 layer's weights in the form that runs fastest on its feature-map size.
    enum LayerWeights: Sendable {
        case direct(ConvWeights)
        case im2col(Im2ColWeights)

        var spec: ConvSpec {
            switch self {
            case .direct(let w): w.spec
            case .im2col(let w): w.spec
            }
        }

        init(_ conv: DlibConvLayer, input: TensorShape, im2colMaxInputSide: Int) throws {
            let spec = conv.spec
            if input.height == 1, input.width == 1, spec.strideY == 1, spec.strideX == 1,
               spec.padY == spec.kernelHeight / 2, spec.padX == spec.kernelWidth / 2 {
                // On a 1x1 map only the centre tap ever meets data (the rest is padding): a 1x1
                // convolution with those weights reads a ninth of the bytes.
                let taps = spec.kernelHeight * spec.kernelWidth
                let centre = (spec.kernelHeight / 2) * spec.kernelWidth + spec.kernelWidth / 2
                let weights = (0..<spec.outChannels * spec.inChannels).map { conv.filters[$0 * taps + centre] }
                let pointwise = ConvSpec(outChannels: spec.outChannels, inChannels: spec.inChannels, kernelHeight: 1, kernelWidth: 1)
                self = .direct(try ConvWeights(spec: pointwise, oihw: weights, bias: conv.biases, typicalInput: input))
            } else if max(input.height, input.width) <= im2colMaxInputSide {
                self = .im2col(try Im2ColWeights(spec: conv.spec, oihw: conv.filters, bias: conv.biases, typicalInput: input))
            } else {
                self = .direct(try ConvWeights(spec: conv.spec, oihw: conv.filters, bias: conv.biases, typicalInput: input))
            }
        }
    }

    let meanRed: Float
    let meanGreen: Float
    let meanBlue: Float
    let stem: ConvWeights
    let blocks: [Block]
    /// [input][output], row-major.
    let fcWeights: [Float]
    let fcInputs: Int
    public var descriptorSize: Int { ResNetArchitecture.descriptorSize }
    var inputSize: Int { ResNetArchitecture.inputSize }

    /// - Parameter im2colMaxInputSide: 3x3 layers on maps up to this side run as im2col + GEMM;
    ///   0 runs every layer direct (the benchmark's baseline).
    convenience init(contentsOf path: String, im2colMaxInputSide: Int = EmbedderModel.im2colMaxInputSide) throws {
        try self.init(parameters: ResNetModelReader.read(path: path), im2colMaxInputSide: im2colMaxInputSide)
    }

    /// Loads `dlib_face_recognition_resnet_model_v1.dat` from `directory`.
    /// The descriptor model from `directory`, checked by size and SHA-256 like `FaceModels`.
    public convenience init(directory: String, im2colMaxInputSide: Int = EmbedderModel.im2colMaxInputSide) throws {
        let bytes = try ModelFile.embedder.read(in: directory)
        try self.init(parameters: ResNetModelReader.parse(bytes: bytes), im2colMaxInputSide: im2colMaxInputSide)
    }

    init(parameters p: ResNetParameters, im2colMaxInputSide: Int = EmbedderModel.im2colMaxInputSide) throws {
        let convs = p.convolutions
        guard convs.count == 1 + 2 * ResNetArchitecture.blocks.count else {
            throw DlibModelError.unexpectedArchitecture("\(convs.count) convolutions, expected \(1 + 2 * ResNetArchitecture.blocks.count)")
        }
        var shape = TensorShape(height: ResNetArchitecture.inputSize, width: ResNetArchitecture.inputSize, channels: 3)
        stem = try ConvWeights(spec: convs[0].spec, oihw: convs[0].filters, bias: convs[0].biases, typicalInput: shape)
        shape = try PoolSpec(kind: .max, windowHeight: 3, windowWidth: 3, strideY: 2, strideX: 2).output(for: convs[0].spec.output(for: shape))
        var blocks: [Block] = []
        for (i, block) in ResNetArchitecture.blocks.enumerated() {
            let a = convs[1 + 2 * i], b = convs[2 + 2 * i]
            let first = try LayerWeights(a, input: shape, im2colMaxInputSide: im2colMaxInputSide)
            let middle = try a.spec.output(for: shape)
            let second = try LayerWeights(b, input: middle, im2colMaxInputSide: im2colMaxInputSide)
            blocks.append(Block(first: first, second: second, downsample: block.downsample))
            shape = try Self.blockOutput(input: shape, second: b.spec.output(for: middle), downsample: block.downsample)
        }
        meanRed = p.meanRed
        meanGreen = p.meanGreen
        meanBlue = p.meanBlue
        self.blocks = blocks
        fcWeights = p.fcWeights
        fcInputs = p.fcInputs
    }

    /// A residual block's output: the conv path, or for ares_down the larger of the conv path and
    /// the 2x2/2 average of the input (dlib's add_prev zero-extends the smaller one).
    static func blockOutput(input: TensorShape, second: TensorShape, downsample: Bool) throws -> TensorShape {
        guard downsample else { return second }
        let pooled = try PoolSpec(kind: .average, windowHeight: 2, windowWidth: 2, strideY: 2, strideX: 2).output(for: input)
        return TensorShape(height: max(pooled.height, second.height), width: max(pooled.width, second.width),
                           channels: max(pooled.channels, second.channels))
    }
}
