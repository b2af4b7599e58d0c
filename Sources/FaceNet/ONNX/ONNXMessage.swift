import CONNX

/// The parts of an ONNX ModelProto the converter reads, copied out of protobuf-c's message
/// (proto/onnx-subset.proto; the C structs are freed before this returns).
struct ONNXMessage {
    struct Node {
        var name: String
        var operation: String
        var domain: String
        var inputs: [String]
        var outputs: [String]
        var attributes: [String: Attribute]
    }

    struct Attribute {
        var int: Int64?
        var float: Float?
        var string: String?
        var ints: [Int64]
        var floats: [Float]
    }

    /// A constant: its dims and its elements, widened to the type the converter uses.
    struct Tensor {
        var dims: [Int]
        var floats: [Float]?
        var ints: [Int64]?
    }

    struct Input {
        var name: String
        var dims: [Int64]
    }

    var irVersion: Int64
    var opsets: [(domain: String, version: Int64)]
    var nodes: [Node]
    var initializers: [String: Tensor]
    var inputs: [Input]
    var outputs: [String]

    // ONNX TensorProto.DataType and DataLocation values used here.
    private static let float32: Int32 = 1, int64: Int32 = 7, externalData: Int32 = 1

    init(bytes: [UInt8]) throws(ModelFormatError) {
        guard let model = bytes.withUnsafeBufferPointer({ onnx__model_proto__unpack(nil, $0.count, $0.baseAddress) }) else {
            throw .unreadable(format: "ONNX", reason: "the protobuf message does not parse")
        }
        defer { onnx__model_proto__free_unpacked(model, nil) }
        let m = model.pointee
        guard let graph = m.graph?.pointee else { throw .unreadable(format: "ONNX", reason: "the model has no graph") }
        irVersion = m.has_ir_version != 0 ? m.ir_version : 0
        opsets = (0..<m.n_opset_import).compactMap { m.opset_import[$0]?.pointee }.map { (Self.text($0.domain), $0.version) }
        nodes = (0..<graph.n_node).compactMap { graph.node[$0]?.pointee }.map(Self.node)
        var initializers: [String: Tensor] = [:]
        for i in 0..<graph.n_initializer {
            guard let t = graph.initializer[i]?.pointee else { continue }
            let name = Self.text(t.name)
            initializers[name] = try Self.tensor(t, name: name)
        }
        self.initializers = initializers
        inputs = (0..<graph.n_input).compactMap { graph.input[$0]?.pointee }.map { value in
            var dims: [Int64] = []
            if let shape = value.type?.pointee.tensor_type?.pointee.shape?.pointee {
                dims = (0..<shape.n_dim).map { d in
                    guard let dim = shape.dim[d]?.pointee, dim.has_dim_value != 0 else { return -1 }
                    return dim.dim_value
                }
            }
            return Input(name: Self.text(value.name), dims: dims)
        }
        outputs = (0..<graph.n_output).compactMap { graph.output[$0]?.pointee }.map { Self.text($0.name) }
    }

    private static func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static func node(_ n: Onnx__NodeProto) -> Node {
        var attributes: [String: Attribute] = [:]
        for i in 0..<n.n_attribute {
            guard let a = n.attribute[i]?.pointee else { continue }
            attributes[text(a.name)] = Attribute(
                int: a.has_i != 0 ? a.i : nil,
                float: a.has_f != 0 ? a.f : nil,
                string: a.has_s != 0 ? String(decoding: UnsafeBufferPointer(start: a.s.data, count: a.s.len), as: UTF8.self) : nil,
                ints: Array(UnsafeBufferPointer(start: a.ints, count: a.n_ints)),
                floats: Array(UnsafeBufferPointer(start: a.floats, count: a.n_floats)))
        }
        return Node(name: text(n.name), operation: text(n.op_type), domain: text(n.domain),
                    inputs: (0..<n.n_input).map { text(n.input[$0]) },
                    outputs: (0..<n.n_output).map { text(n.output[$0]) },
                    attributes: attributes)
    }

    private static func tensor(_ t: Onnx__TensorProto, name: String) throws(ModelFormatError) -> Tensor {
        if t.has_data_location != 0, t.data_location == externalData {
            throw .badConstant(name: name, detail: "its data is in an external file, which is not supported")
        }
        let dims = (0..<t.n_dims).map { Int(t.dims[$0]) }
        guard let count = constantElementCount(dims) else { throw .badConstant(name: name, detail: "dims \(dims) are negative or too large") }
        let raw = t.has_raw_data != 0 ? UnsafeRawBufferPointer(start: t.raw_data.data, count: t.raw_data.len) : nil
        switch t.data_type {
        case float32:
            let floats: [Float]
            if let raw, raw.count > 0 {
                guard raw.count == count * 4 else { throw .badConstant(name: name, detail: "\(raw.count) bytes for \(count) floats") }
                floats = (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            } else {
                floats = Array(UnsafeBufferPointer(start: t.float_data, count: t.n_float_data))
            }
            guard floats.count == count else { throw .badConstant(name: name, detail: "\(floats.count) floats for dims \(dims)") }
            return Tensor(dims: dims, floats: floats, ints: nil)
        case int64:
            let ints: [Int64]
            if let raw, raw.count > 0 {
                guard raw.count == count * 8 else { throw .badConstant(name: name, detail: "\(raw.count) bytes for \(count) int64s") }
                ints = (0..<count).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
            } else {
                ints = Array(UnsafeBufferPointer(start: t.int64_data, count: t.n_int64_data))
            }
            guard ints.count == count else { throw .badConstant(name: name, detail: "\(ints.count) int64s for dims \(dims)") }
            return Tensor(dims: dims, floats: nil, ints: ints)
        default:
            throw .badConstant(name: name, detail: "element type \(t.data_type) is not supported (float32 and int64 are)")
        }
    }
}
