import CDNNL

/// A oneDNN forward-inference convolution descriptor: NHWC fp32 activations, bias in fp32,
/// weights either in a given packed layout or left to oneDNN (`format_tag any`).
struct ConvDescriptor {
    let spec: ConvSpec
    let input: TensorShape
    let output: TensorShape
    var desc = dnnl_convolution_desc_t()

    init(spec: ConvSpec, input: TensorShape, weights: dnnl_memory_desc_t?) throws {
        self.spec = spec
        self.input = input
        output = try spec.output(for: input)
        var src = try DNNLDesc.nhwc(input)
        var dst = try DNNLDesc.nhwc(output)
        var wei = try weights ?? DNNLDesc.tagged(spec.oihwDims, dnnl_format_tag_any)
        var bia = try DNNLDesc.tagged([Int64(spec.outChannels)], dnnl_x)
        let strides: [Int64] = [Int64(spec.strideY), Int64(spec.strideX)]
        let padding: [Int64] = [Int64(spec.padY), Int64(spec.padX)]
        // oneDNN wants padding_r consistent with the floor-divided output size.
        let padR: [Int64] = [
            Int64((output.height - 1) * spec.strideY + spec.kernelHeight - input.height - spec.padY),
            Int64((output.width - 1) * spec.strideX + spec.kernelWidth - input.width - spec.padX),
        ]
        try dnnlCheck(dnnl_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct,
                                                         &src, &wei, &bia, &dst, strides, padding, padR),
                      "dnnl_convolution_forward_desc_init(\(spec), input \(input))")
    }

    func primitiveDescriptor(engine: dnnl_engine_t, sum: Bool, relu: Bool) throws -> dnnl_primitive_desc_t {
        let attr = try makeAttributes(sumBeforeActivation: sum, relu: relu)
        defer { dnnl_primitive_attr_destroy(attr) }
        var copy = desc
        var pd: dnnl_primitive_desc_t?
        try dnnlCheck(dnnl_primitive_desc_create(&pd, &copy, attr, engine, nil), "dnnl_primitive_desc_create(\(spec))")
        guard let pd else { throw NetError.dnnl(call: "dnnl_primitive_desc_create", status: -1) }
        return pd
    }
}
