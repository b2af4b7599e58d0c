import CDNNL

/// One created oneDNN primitive with its argument memories prepared once, so that executing it
/// builds nothing: the argument array and memory objects exist from creation on, and running on
/// new buffers only swaps data handles (no copy, no allocation on our side).
final class DNNLPrimitive {
    let primitive: dnnl_primitive_t
    let implementation: String
    let scratchpadBytes: Int
    private let args: UnsafeMutablePointer<dnnl_exec_arg_t>
    private let handles: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private let argCount: Int
    private let scratchpadIndex: Int?

    /// `arguments` are (DNNL_ARG_*, descriptor, initial handle or nil). Takes ownership of `pd`.
    init(pd: dnnl_primitive_desc_t, engine: dnnl_engine_t,
         arguments: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer?)]) throws {
        defer { dnnl_primitive_desc_destroy(pd) }
        implementation = DNNLDesc.implementationName(pd)
        var all = arguments
        var scratchBytes = 0
        if let scratch = DNNLDesc.query(pd, dnnl_query_scratchpad_md) {
            scratchBytes = DNNLDesc.size(scratch)
            if scratchBytes > 0 { all.append((Int32(DNNL_ARG_SCRATCHPAD), scratch, nil)) }
        }
        scratchpadBytes = scratchBytes
        scratchpadIndex = scratchBytes > 0 ? all.count - 1 : nil

        argCount = all.count
        args = .allocate(capacity: all.count)
        handles = .allocate(capacity: all.count)
        var created = 0
        do {
            for (i, (kind, desc, handle)) in all.enumerated() {
                var md = desc
                var memory: dnnl_memory_t?
                try dnnlCheck(dnnl_memory_create(&memory, &md, engine, handle), "dnnl_memory_create")
                args[i] = dnnl_exec_arg_t(arg: kind, memory: memory)
                handles[i] = handle
                created += 1
            }
            var prim: dnnl_primitive_t?
            try dnnlCheck(dnnl_primitive_create(&prim, pd), "dnnl_primitive_create")
            guard let prim else { throw NetError.dnnl(call: "dnnl_primitive_create", status: -1) }
            primitive = prim
        } catch {
            for i in 0..<created { dnnl_memory_destroy(args[i].memory) }
            args.deallocate()
            handles.deallocate()
            throw error
        }
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        for i in 0..<argCount { dnnl_memory_destroy(args[i].memory) }
        args.deallocate()
        handles.deallocate()
    }

    /// Points argument `index` (its position in `arguments`) at `pointer`.
    @inline(__always)
    func bind(_ index: Int, _ pointer: UnsafeMutableRawPointer?) throws {
        guard handles[index] != pointer else { return }
        try dnnlCheck(dnnl_memory_set_data_handle(args[index].memory, pointer), "dnnl_memory_set_data_handle")
        handles[index] = pointer
    }

    @inline(__always)
    func bindScratchpad(_ pointer: UnsafeMutableRawPointer?) throws {
        guard let scratchpadIndex else { return }
        guard pointer != nil else { throw NetError.invalidLayer("primitive needs a \(scratchpadBytes)-byte scratchpad") }
        try bind(scratchpadIndex, pointer)
    }

    @inline(__always)
    func execute(on stream: dnnl_stream_t) throws {
        try dnnlCheck(dnnl_primitive_execute(primitive, stream, Int32(argCount), args), "dnnl_primitive_execute")
    }
    /// One run of a single-source, single-destination primitive (convolution, pooling): binds
    /// argument 0 to `source`, argument `destinationIndex` to `destination`, and the scratchpad.
    @inline(__always)
    func run(source: UnsafeRawPointer, destination: UnsafeMutableRawPointer, destinationIndex: Int,
             scratchpad: UnsafeMutableRawPointer?, on stream: dnnl_stream_t) throws {
        try bind(0, UnsafeMutableRawPointer(mutating: source))
        try bind(destinationIndex, destination)
        try bindScratchpad(scratchpad)
        try execute(on: stream)
    }
}

/// Builds an attribute with a user-managed scratchpad and the given fused post-ops.
func makeAttributes(sumBeforeActivation: Bool, relu: Bool) throws -> dnnl_primitive_attr_t {
    var attr: dnnl_primitive_attr_t?
    try dnnlCheck(dnnl_primitive_attr_create(&attr), "dnnl_primitive_attr_create")
    guard let attr else { throw NetError.dnnl(call: "dnnl_primitive_attr_create", status: -1) }
    do {
        try dnnlCheck(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "set_scratchpad_mode")
        if sumBeforeActivation || relu {
            var ops: dnnl_post_ops_t?
            try dnnlCheck(dnnl_post_ops_create(&ops), "dnnl_post_ops_create")
            defer { dnnl_post_ops_destroy(ops) }
            if sumBeforeActivation { try dnnlCheck(dnnl_post_ops_append_sum(ops, 1), "dnnl_post_ops_append_sum") }
            if relu { try dnnlCheck(dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_relu, 0, 0), "append_eltwise") }
            try dnnlCheck(dnnl_primitive_attr_set_post_ops(attr, ops), "dnnl_primitive_attr_set_post_ops")
        }
        return attr
    } catch {
        dnnl_primitive_attr_destroy(attr)
        throw error
    }
}
