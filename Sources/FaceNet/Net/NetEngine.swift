import CDNNL

/// The shared inference engine: fp32 convolutions and pooling on NHWC buffers through oneDNN's
/// C API, with every activation and scratch byte in one caller-planned arena.
///
/// Usage (one network, one input shape; create once, execute many times):
///
///     let engine = try NetEngine(threads: 1)                        // one per worker thread
///     let w = try ConvWeights(spec: spec, oihw: filters, bias: bias, typicalInput: inShape) // shared, Sendable
///     let conv = try engine.convolution(w, input: inShape, epilogue: .relu)
///     var planner = ArenaPlanner()
///     let x = planner.add(bytes: inShape.byteCount, firstUse: 0, lastUse: 0)
///     let y = planner.add(bytes: conv.output.byteCount, firstUse: 0, lastUse: 1)
///     let s = planner.add(bytes: conv.scratchpadBytes, firstUse: 0, lastUse: 0)
///     let arena = try TensorArena(plan: planner.plan())              // arena.bytes: the report
///     try conv.execute(input: arena[x], output: arena[y], scratchpad: arena[s])
///
/// Kernels: oneDNN picks them from the CPU flags at primitive creation (AVX2, AVX-512...), no
/// environment variable involved. Threads: `threads` is applied to the calling thread (OpenMP ICV)
/// before every creation and execution, so primitives are built and run with the same count.
/// An engine and everything it created must be used by one thread at a time.
final class NetEngine {
    let threads: Int
    let cpu: DNNLCPU
    let stream: dnnl_stream_t

    init(threads: Int = 1) throws {
        self.threads = max(1, threads)
        cpu = try DNNLCPU.shared()
        var stream: dnnl_stream_t?
        try dnnlCheck(dnnl_stream_create(&stream, cpu.engine, dnnl_stream_default_flags.rawValue), "dnnl_stream_create")
        guard let stream else { throw NetError.dnnl(call: "dnnl_stream_create", status: -1) }
        self.stream = stream
    }

    deinit { dnnl_stream_destroy(stream) }

    /// Whether the OpenMP thread-count control was found (libdnnl built with libgomp).
    static var threadControlAvailable: Bool { OpenMPThreads.isAvailable }

    @inline(__always)
    func enter() {
        if OpenMPThreads.current != threads { OpenMPThreads.set(threads) }
    }

    func convolution(_ weights: ConvWeights, input: TensorShape, epilogue: ConvEpilogue) throws -> Conv2D {
        try Conv2D(engine: self, weights: weights, input: input, epilogue: epilogue)
    }

    func pooling(_ spec: PoolSpec, input: TensorShape) throws -> Pool2D {
        try Pool2D(engine: self, spec: spec, input: input)
    }

    /// Row-major C = alpha * op(A) * op(B) + beta * C with oneDNN's sgemm, on this engine's threads.
    func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) throws {
        enter()
        try dnnlCheck(dnnl_sgemm(transposeA ? 84 : 78, transposeB ? 84 : 78, Int64(m), Int64(n), Int64(k), alpha,
                                 a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc)), "dnnl_sgemm")
    }

    /// Waits until everything submitted on this engine's stream has finished.
    func wait() throws {
        try dnnlCheck(dnnl_stream_wait(stream), "dnnl_stream_wait")
    }
}
