#if canImport(Glibc)
import Glibc
#endif
import CDNNL

/// One convolution of a graph model for one input shape, on oneDNN: any group count (depthwise
/// included), asymmetric padding, bias and the activation fused as a post-op. The weights are
/// reordered once into the layout oneDNN's kernel for this shape wants and owned by the primitive.
final class GroupedConvolution {
    let input: TensorShape
    let output: TensorShape
    let scratchpadBytes: Int
    let implementation: String
    private let engine: NetEngine
    private let primitive: DNNLPrimitive
    private let packedWeights: UnsafeMutableRawPointer
    private let bias: UnsafeMutablePointer<Float>

    init(engine: NetEngine, convolution c: GraphConvolution, input: TensorShape, output: TensorShape) throws {
        engine.enter()
        let cpu = engine.cpu
        let plainWeights: dnnl_memory_desc_t
        let anyWeights: dnnl_memory_desc_t
        if c.groups > 1 {
            let dims: [Int64] = [Int64(c.groups), Int64(c.outChannels / c.groups), Int64(c.inChannels / c.groups),
                                 Int64(c.kernelHeight), Int64(c.kernelWidth)]
            plainWeights = try DNNLDesc.tagged(dims, dnnl_goihw)
            anyWeights = try DNNLDesc.tagged(dims, dnnl_format_tag_any)
        } else {
            let dims: [Int64] = [Int64(c.outChannels), Int64(c.inChannels), Int64(c.kernelHeight), Int64(c.kernelWidth)]
            plainWeights = try DNNLDesc.tagged(dims, dnnl_oihw)
            anyWeights = try DNNLDesc.tagged(dims, dnnl_format_tag_any)
        }
        var src = try DNNLDesc.nhwc(input)
        var dst = try DNNLDesc.nhwc(output)
        var wei = anyWeights
        var bia = try DNNLDesc.tagged([Int64(c.outChannels)], dnnl_x)
        var desc = dnnl_convolution_desc_t()
        try dnnlCheck(dnnl_convolution_forward_desc_init(
            &desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &wei, &bia, &dst,
            [Int64(c.strideY), Int64(c.strideX)], [Int64(c.padTop), Int64(c.padLeft)],
            [Int64(c.padBottom), Int64(c.padRight)]), "dnnl_convolution_forward_desc_init(grouped, input \(input))")
        let attr = try Self.attributes(c.activation)
        defer { dnnl_primitive_attr_destroy(attr) }
        var pd: dnnl_primitive_desc_t?
        try dnnlCheck(dnnl_primitive_desc_create(&pd, &desc, attr, cpu.engine, nil), "dnnl_primitive_desc_create(grouped)")
        guard let pd else { throw NetError.dnnl(call: "dnnl_primitive_desc_create", status: -1) }
        guard let chosen = DNNLDesc.query(pd, dnnl_query_weights_md) else {
            dnnl_primitive_desc_destroy(pd)
            throw NetError.dnnl(call: "query weights_md", status: -1)
        }
        let packed: UnsafeMutableRawPointer
        do {
            packed = try alignedAllocate(bytes: DNNLDesc.size(chosen))
        } catch {
            dnnl_primitive_desc_destroy(pd)
            throw error
        }
        bias = .allocate(capacity: c.outChannels)
        bias.initialize(from: c.bias, count: c.outChannels)
        do {
            try c.weights.withUnsafeBufferPointer { source in
                try reorder(from: plainWeights, UnsafeMutableRawPointer(mutating: source.baseAddress!), to: chosen, packed, engine: cpu.engine)
            }
            primitive = try DNNLPrimitive(pd: pd, engine: cpu.engine, arguments: [
                (Int32(DNNL_ARG_SRC), src, nil),
                (Int32(DNNL_ARG_WEIGHTS), chosen, packed),
                (Int32(DNNL_ARG_BIAS), bia, UnsafeMutableRawPointer(bias)),
                (Int32(DNNL_ARG_DST), dst, nil),
            ])
        } catch {
            free(packed)
            bias.deallocate()
            throw error
        }
        packedWeights = packed
        self.engine = engine
        self.input = input
        self.output = output
        scratchpadBytes = primitive.scratchpadBytes
        implementation = primitive.implementation
    }

    deinit {
        free(packedWeights)
        bias.deallocate()
    }

    func execute(input source: UnsafeRawPointer, output destination: UnsafeMutableRawPointer,
                 scratchpad: UnsafeMutableRawPointer?) throws {
        engine.enter()
        try primitive.run(source: source, destination: destination, destinationIndex: 3, scratchpad: scratchpad,
                          on: engine.stream)
    }

    /// User scratchpad, and the activation as an eltwise post-op.
    private static func attributes(_ activation: GraphActivation) throws -> dnnl_primitive_attr_t {
        var attr: dnnl_primitive_attr_t?
        try dnnlCheck(dnnl_primitive_attr_create(&attr), "dnnl_primitive_attr_create")
        guard let attr else { throw NetError.dnnl(call: "dnnl_primitive_attr_create", status: -1) }
        do {
            try dnnlCheck(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "set_scratchpad_mode")
            let eltwise: (dnnl_alg_kind_t, Float)?
            switch activation {
            case .none: eltwise = nil
            case .relu: eltwise = (dnnl_eltwise_relu, 0)
            case let .leakyRelu(slope): eltwise = (dnnl_eltwise_relu, slope)
            case .sigmoid: eltwise = (dnnl_eltwise_logistic, 0)
            }
            if let (kind, alpha) = eltwise {
                var ops: dnnl_post_ops_t?
                try dnnlCheck(dnnl_post_ops_create(&ops), "dnnl_post_ops_create")
                defer { dnnl_post_ops_destroy(ops) }
                try dnnlCheck(dnnl_post_ops_append_eltwise(ops, 1, kind, alpha, 0), "dnnl_post_ops_append_eltwise")
                try dnnlCheck(dnnl_primitive_attr_set_post_ops(attr, ops), "dnnl_primitive_attr_set_post_ops")
            }
            return attr
        } catch {
            dnnl_primitive_attr_destroy(attr)
            throw error
        }
    }
}
