#if canImport(Glibc)
import Glibc
#endif
import CDNNL

/// Immutable convolution weights and bias, packed once into the blocked layout oneDNN's best
/// kernel for this CPU wants (chosen by oneDNN from the CPU flags via `format_tag any`).
/// Sendable: load once per process and share between every `NetEngine`.
final class ConvWeights: @unchecked Sendable {
    let spec: ConvSpec
    /// The layout the weights are packed in.
    let packedDesc: dnnl_memory_desc_t
    let packed: UnsafeMutableRawPointer
    let packedBytes: Int
    let bias: UnsafeMutablePointer<Float>

    /// - Parameters:
    ///   - oihw: weights as [out][in][kh][kw] (dlib's filter order).
    ///   - bias: one value per output channel.
    ///   - typicalInput: an input shape the layer will run on; the packed layout is the one oneDNN
    ///     picks for it (other shapes normally pick the same; `Conv2D` repacks privately if not).
    init(spec: ConvSpec, oihw: [Float], bias: [Float], typicalInput: TensorShape) throws {
        guard oihw.count == spec.weightCount else {
            throw NetError.sizeMismatch(what: "weights of \(spec)", expected: spec.weightCount, found: oihw.count)
        }
        guard bias.count == spec.outChannels else {
            throw NetError.sizeMismatch(what: "bias of \(spec)", expected: spec.outChannels, found: bias.count)
        }
        let cpu = try DNNLCPU.shared()
        let probe = try ConvDescriptor(spec: spec, input: typicalInput, weights: nil)
        let pd = try probe.primitiveDescriptor(engine: cpu.engine, sum: false, relu: false)
        defer { dnnl_primitive_desc_destroy(pd) }
        guard let chosen = DNNLDesc.query(pd, dnnl_query_weights_md) else {
            throw NetError.dnnl(call: "query weights_md", status: -1)
        }
        self.spec = spec
        packedDesc = chosen
        packedBytes = DNNLDesc.size(chosen)
        packed = try alignedAllocate(bytes: packedBytes)
        self.bias = .allocate(capacity: spec.outChannels)
        self.bias.initialize(from: bias, count: bias.count)
        do {
            let plain = try DNNLDesc.tagged(spec.oihwDims, dnnl_oihw)
            try oihw.withUnsafeBufferPointer { source in
                try reorder(from: plain, UnsafeMutableRawPointer(mutating: source.baseAddress!), to: chosen, packed, engine: cpu.engine)
            }
        } catch {
            free(packed)
            self.bias.deallocate()
            throw error
        }
    }

    deinit {
        free(packed)
        bias.deallocate()
    }
}

extension ConvSpec {
    var oihwDims: [Int64] { [Int64(outChannels), Int64(inChannels), Int64(kernelHeight), Int64(kernelWidth)] }
}

/// 64-byte aligned memory (cache line and AVX-512 friendly) or a typed error.
func alignedAllocate(bytes: Int) throws -> UnsafeMutableRawPointer {
    var pointer: UnsafeMutableRawPointer?
    guard posix_memalign(&pointer, 64, max(bytes, 64)) == 0, let pointer else {
        throw NetError.allocationFailed(bytes: bytes)
    }
    return pointer
}

/// Copies `source` in layout `from` into `destination` in layout `to` with a oneDNN reorder.
func reorder(from: dnnl_memory_desc_t, _ source: UnsafeMutableRawPointer, to: dnnl_memory_desc_t,
             _ destination: UnsafeMutableRawPointer, engine: dnnl_engine_t) throws {
    var src = from, dst = to
    var pd: dnnl_primitive_desc_t?
    try dnnlCheck(dnnl_reorder_primitive_desc_create(&pd, &src, engine, &dst, engine, nil), "dnnl_reorder_primitive_desc_create")
    guard let pd else { throw NetError.dnnl(call: "dnnl_reorder_primitive_desc_create", status: -1) }
    let scratch = DNNLDesc.query(pd, dnnl_query_scratchpad_md).map(DNNLDesc.size) ?? 0
    let primitive = try DNNLPrimitive(pd: pd, engine: engine, arguments: [
        (Int32(DNNL_ARG_FROM), from, source), (Int32(DNNL_ARG_TO), to, destination),
    ])
    let scratchpad = scratch > 0 ? try alignedAllocate(bytes: scratch) : nil
    defer { free(scratchpad) }
    try primitive.bindScratchpad(scratchpad)
    var stream: dnnl_stream_t?
    try dnnlCheck(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "dnnl_stream_create")
    defer { dnnl_stream_destroy(stream) }
    guard let stream else { throw NetError.dnnl(call: "dnnl_stream_create", status: -1) }
    try primitive.execute(on: stream)
    try dnnlCheck(dnnl_stream_wait(stream), "dnnl_stream_wait")
}
