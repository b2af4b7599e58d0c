import CDNNL

/// Throws `NetError.dnnl` unless a oneDNN call succeeded.
@inline(__always)
func dnnlCheck(_ status: dnnl_status_t, _ call: @autoclosure () -> String) throws {
    guard status == dnnl_success else { throw NetError.dnnl(call: call(), status: Int32(status.rawValue)) }
}

/// The process-wide oneDNN CPU engine. oneDNN engines are safe to share between threads
/// (primitive creation is thread-safe); streams are not, so each `NetEngine` owns one.
final class DNNLCPU: @unchecked Sendable {
    let engine: dnnl_engine_t

    private init(engine: dnnl_engine_t) { self.engine = engine }

    private static let created: Result<DNNLCPU, NetError> = {
        var engine: dnnl_engine_t?
        let status = dnnl_engine_create(&engine, dnnl_cpu, 0)
        guard status == dnnl_success, let engine else {
            return .failure(.dnnl(call: "dnnl_engine_create", status: Int32(status.rawValue)))
        }
        return .success(DNNLCPU(engine: engine))
    }()

    static func shared() throws -> DNNLCPU { try created.get() }
}

/// Memory descriptor helpers (oneDNN 2.x descriptors are plain structs).
enum DNNLDesc {
    static func tagged(_ dims: [Int64], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        try dnnlCheck(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims, dnnl_f32, tag), "dnnl_memory_desc_init_by_tag")
        return md
    }

    static func nhwc(_ shape: TensorShape) throws -> dnnl_memory_desc_t { try tagged(shape.dnnlDims, dnnl_nhwc) }

    static func size(_ md: dnnl_memory_desc_t) -> Int {
        var copy = md
        return Int(dnnl_memory_desc_get_size(&copy))
    }

    static func query(_ pd: dnnl_primitive_desc_t, _ what: dnnl_query_t) -> dnnl_memory_desc_t? {
        dnnl_primitive_desc_query_md(pd, what, 0)?.pointee
    }

    static func implementationName(_ pd: dnnl_primitive_desc_t) -> String {
        var name: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name) == dnnl_success, let name else { return "?" }
        return String(cString: name)
    }

    static func equal(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
        var a = a, b = b
        return dnnl_memory_desc_equal(&a, &b) != 0
    }
}
