import CDNNL
#if canImport(Glibc)
import Glibc
#endif

/// What a convolution does after adding its bias.
enum ConvEpilogue: Sendable {
    /// dst = conv + bias
    case none
    /// dst = max(0, conv + bias)
    case relu
    /// dst = max(0, conv + bias + dst): a residual add into the buffer that already holds the
    /// shortcut, then ReLU (dlib's relu<add_prev<affine<con<...>>>>).
    case accumulateRelu
    /// dst = conv + bias + dst
    case accumulate
}

/// One convolution primitive for one input shape, created by a `NetEngine` and run on
/// caller-owned NHWC buffers (normally arena slices). Creating costs 0.1-1 ms: create once per shape.
final class Conv2D {
    let spec: ConvSpec
    let input: TensorShape
    let output: TensorShape
    let epilogue: ConvEpilogue
    /// Bytes of scratch the primitive needs during `execute` (plan them in the arena).
    let scratchpadBytes: Int
    /// oneDNN's name of the chosen kernel (e.g. "jit:avx2"), for reports.
    let implementation: String
    private let engine: NetEngine
    private let weights: ConvWeights
    private let primitive: DNNLPrimitive
    /// Set when this shape wanted another weight layout than the shared one.
    private let privateWeights: UnsafeMutableRawPointer?

    init(engine: NetEngine, weights: ConvWeights, input: TensorShape, epilogue: ConvEpilogue) throws {
        engine.enter()
        let cpu = engine.cpu
        let sum: Bool, relu: Bool
        switch epilogue {
        case .none: (sum, relu) = (false, false)
        case .relu: (sum, relu) = (false, true)
        case .accumulateRelu: (sum, relu) = (true, true)
        case .accumulate: (sum, relu) = (true, false)
        }
        var descriptor = try ConvDescriptor(spec: weights.spec, input: input, weights: weights.packedDesc)
        var pd = try? descriptor.primitiveDescriptor(engine: cpu.engine, sum: sum, relu: relu)
        var weightDesc = weights.packedDesc
        var weightHandle = weights.packed
        var ownCopy: UnsafeMutableRawPointer?
        if pd == nil {
            // This shape's best kernel wants another layout: let oneDNN choose and repack privately.
            descriptor = try ConvDescriptor(spec: weights.spec, input: input, weights: nil)
            let chosen = try descriptor.primitiveDescriptor(engine: cpu.engine, sum: sum, relu: relu)
            guard let md = DNNLDesc.query(chosen, dnnl_query_weights_md) else {
                dnnl_primitive_desc_destroy(chosen)
                throw NetError.dnnl(call: "query weights_md", status: -1)
            }
            let copy = try alignedAllocate(bytes: DNNLDesc.size(md))
            do {
                try reorder(from: weights.packedDesc, weights.packed, to: md, copy, engine: cpu.engine)
            } catch {
                free(copy)
                dnnl_primitive_desc_destroy(chosen)
                throw error
            }
            (pd, weightDesc, weightHandle, ownCopy) = (chosen, md, copy, copy)
        }
        guard let pd else { throw NetError.dnnl(call: "dnnl_primitive_desc_create", status: -1) }
        do {
            primitive = try DNNLPrimitive(pd: pd, engine: cpu.engine, arguments: [
                (Int32(DNNL_ARG_SRC), try DNNLDesc.nhwc(input), nil),
                (Int32(DNNL_ARG_WEIGHTS), weightDesc, weightHandle),
                (Int32(DNNL_ARG_BIAS), try DNNLDesc.tagged([Int64(weights.spec.outChannels)], dnnl_x), UnsafeMutableRawPointer(weights.bias)),
                (Int32(DNNL_ARG_DST), try DNNLDesc.nhwc(descriptor.output), nil),
            ])
        } catch {
            free(ownCopy)
            throw error
        }
        self.engine = engine
        self.weights = weights
        self.spec = weights.spec
        self.input = input
        self.output = descriptor.output
        self.epilogue = epilogue
        self.privateWeights = ownCopy
        scratchpadBytes = primitive.scratchpadBytes
        implementation = primitive.implementation
    }

    deinit { free(privateWeights) }

    var macs: Int { spec.macs(for: input) }

    /// Runs the convolution; for the accumulate epilogues `output` must already hold the addend.
    /// `input` and `output` must not overlap.
    func execute(input source: UnsafeRawPointer, output destination: UnsafeMutableRawPointer,
                        scratchpad: UnsafeMutableRawPointer?) throws {
        engine.enter()
        try primitive.run(source: source, destination: destination, destinationIndex: 3, scratchpad: scratchpad,
                          on: engine.stream)
    }
}
