import CDNNL

/// Pooling window numbers (dlib's max_pool/avg_pool with explicit padding).
struct PoolSpec: Hashable, Sendable {
    enum Kind: Sendable { case max, average }
    let kind: Kind
    let windowHeight: Int
    let windowWidth: Int
    let strideY: Int
    let strideX: Int
    let padY: Int
    let padX: Int

    init(kind: Kind, windowHeight: Int, windowWidth: Int, strideY: Int, strideX: Int, padY: Int = 0, padX: Int = 0) {
        self.kind = kind
        self.windowHeight = windowHeight
        self.windowWidth = windowWidth
        self.strideY = strideY
        self.strideX = strideX
        self.padY = padY
        self.padX = padX
    }

    func output(for input: TensorShape) throws -> TensorShape {
        guard windowHeight > 0, windowWidth > 0, strideY > 0, strideX > 0, padY >= 0, padX >= 0,
              input.height + 2 * padY >= windowHeight, input.width + 2 * padX >= windowWidth else {
            throw NetError.invalidLayer("pool \(windowHeight)x\(windowWidth) on \(input)")
        }
        return TensorShape(height: (input.height + 2 * padY - windowHeight) / strideY + 1,
                           width: (input.width + 2 * padX - windowWidth) / strideX + 1,
                           channels: input.channels)
    }
}

/// One pooling primitive for one input shape, on caller-owned NHWC buffers.
final class Pool2D {
    let spec: PoolSpec
    let input: TensorShape
    let output: TensorShape
    let scratchpadBytes: Int
    let implementation: String
    private let engine: NetEngine
    private let primitive: DNNLPrimitive

    init(engine: NetEngine, spec: PoolSpec, input: TensorShape) throws {
        engine.enter()
        output = try spec.output(for: input)
        var src = try DNNLDesc.nhwc(input)
        var dst = try DNNLDesc.nhwc(output)
        var desc = dnnl_pooling_desc_t()
        let padR: [Int64] = [
            Int64((output.height - 1) * spec.strideY + spec.windowHeight - input.height - spec.padY),
            Int64((output.width - 1) * spec.strideX + spec.windowWidth - input.width - spec.padX),
        ]
        // Padded cells never count: dlib divides by the in-image cells of each window.
        let algorithm = spec.kind == .max ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding
        try dnnlCheck(dnnl_pooling_forward_desc_init(&desc, dnnl_forward_inference, algorithm, &src, &dst,
                                                     [Int64(spec.strideY), Int64(spec.strideX)],
                                                     [Int64(spec.windowHeight), Int64(spec.windowWidth)],
                                                     [Int64(spec.padY), Int64(spec.padX)], padR),
                      "dnnl_pooling_forward_desc_init")
        let attr = try makeAttributes(sumBeforeActivation: false, relu: false)
        defer { dnnl_primitive_attr_destroy(attr) }
        var pd: dnnl_primitive_desc_t?
        try dnnlCheck(dnnl_primitive_desc_create(&pd, &desc, attr, engine.cpu.engine, nil), "dnnl_primitive_desc_create(pool)")
        guard let pd else { throw NetError.dnnl(call: "dnnl_primitive_desc_create", status: -1) }
        primitive = try DNNLPrimitive(pd: pd, engine: engine.cpu.engine, arguments: [
            (Int32(DNNL_ARG_SRC), src, nil), (Int32(DNNL_ARG_DST), dst, nil),
        ])
        self.engine = engine
        self.spec = spec
        self.input = input
        scratchpadBytes = primitive.scratchpadBytes
        implementation = primitive.implementation
    }

    func execute(input source: UnsafeRawPointer, output destination: UnsafeMutableRawPointer,
                        scratchpad: UnsafeMutableRawPointer?) throws {
        engine.enter()
        try primitive.run(source: source, destination: destination, destinationIndex: 1, scratchpad: scratchpad,
                          on: engine.stream)
    }
}
