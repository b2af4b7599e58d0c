import Foundation

/// The face descriptor network's weights, loaded and packed once per process and shared by every
/// `FaceEmbedder` (immutable, Sendable). Convolutions carry their folded affine layers and are
/// packed in the layout oneDNN chose for this CPU.
public final class EmbedderModel: Sendable {
    public static let fileName = "dlib_face_recognition_resnet_model_v1.dat"

    struct Block: Sendable {
        let first: ConvWeights
        let second: ConvWeights
        let downsample: Bool
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
    public var inputSize: Int { ResNetArchitecture.inputSize }

    public convenience init(contentsOf path: String) throws {
        try self.init(parameters: ResNetModelReader.read(path: path))
    }

    /// Loads `dlib_face_recognition_resnet_model_v1.dat` from `directory`.
    public convenience init(directory: String) throws {
        try self.init(contentsOf: (directory as NSString).appendingPathComponent(Self.fileName))
    }

    public init(parameters p: ResNetParameters) throws {
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
            let first = try ConvWeights(spec: a.spec, oihw: a.filters, bias: a.biases, typicalInput: shape)
            let middle = try a.spec.output(for: shape)
            let second = try ConvWeights(spec: b.spec, oihw: b.filters, bias: b.biases, typicalInput: middle)
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
