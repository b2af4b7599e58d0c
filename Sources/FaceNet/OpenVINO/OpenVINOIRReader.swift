/// Reads an OpenVINO IR (versions 10 and 11: an XML graph plus a .bin of constants) into a
/// `GraphModel`. The .bin has no header: each Const layer names its element type, shape, and the
/// byte offset and size of its data in it. FP16 (and FP32) constants are widened to fp32 here,
/// once, at load.
///
/// Accepted: one NCHW f32 Parameter; Const, Convert (of constants), Convolution and
/// GroupConvolution (explicit padding, no dilation), Add and Multiply (two activations, or an
/// activation and a per-channel or scalar constant), PReLU with one slope, ReLU, Sigmoid,
/// a global AvgPool, and Result. Anything else is refused with a `ModelFormatError`.
enum OpenVINOIRReader {
    static func read(xml: [UInt8], weights: [UInt8]) throws(ModelFormatError) -> GraphModel {
        let net = try IRXMLParser.parse(xml)
        guard net.name == "net", let version = net.attributes["version"], version == "10" || version == "11" else {
            throw .unreadable(format: "OpenVINO IR", reason: "root <\(net.name) version=\(net.attributes["version"] ?? "?")>, expected <net version=\"10\" or \"11\">")
        }
        let layers = try (net.child("layers")?.children("layer") ?? []).map(IRLayer.init)
        var producers: [Int: [Int: (layer: Int, port: Int)]] = [:]   // to-layer -> to-port -> source
        for edge in net.child("edges")?.children("edge") ?? [] {
            guard let fromLayer = Int(edge.attributes["from-layer"] ?? ""), let fromPort = Int(edge.attributes["from-port"] ?? ""),
                  let toLayer = Int(edge.attributes["to-layer"] ?? ""), let toPort = Int(edge.attributes["to-port"] ?? "") else {
                throw .unreadable(format: "OpenVINO IR", reason: "an <edge> without numeric from/to layer and port")
            }
            producers[toLayer, default: [:]][toPort] = (fromLayer, fromPort)
        }
        var converter = IRGraphConverter(weights: weights)
        for layer in try topologicalOrder(layers, producers: producers) {
            let inputs = try layer.inputPorts.map { port throws(ModelFormatError) -> (layer: Int, port: Int) in
                guard let source = producers[layer.id]?[port.id] else { throw .missingValue(node: layer.label, value: "input port \(port.id)") }
                return source
            }
            try converter.convert(layer, inputs: inputs)
        }
        return try converter.finish()
    }

    /// Layers so that each comes after the layers feeding it (Kahn's algorithm, ties by id).
    private static func topologicalOrder(_ layers: [IRLayer], producers: [Int: [Int: (layer: Int, port: Int)]]) throws(ModelFormatError) -> [IRLayer] {
        let byID = Dictionary(layers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard byID.count == layers.count else { throw .unreadable(format: "OpenVINO IR", reason: "two layers share an id") }
        var waiting: [Int: Int] = [:]
        var readers: [Int: [Int]] = [:]
        for layer in layers {
            let sources = Set((producers[layer.id] ?? [:]).values.map(\.layer))
            waiting[layer.id] = sources.count
            for s in sources { readers[s, default: []].append(layer.id) }
        }
        var ready = layers.map(\.id).filter { waiting[$0] == 0 }.sorted(by: >)
        var order: [IRLayer] = []
        while let id = ready.popLast() {
            order.append(byID[id]!)
            for r in readers[id] ?? [] {
                waiting[r]! -= 1
                if waiting[r] == 0 { ready.append(r); ready.sort(by: >) }
            }
        }
        guard order.count == layers.count else { throw .unreadable(format: "OpenVINO IR", reason: "the graph has a cycle or an edge to a missing layer") }
        return order
    }
}

/// One <layer> element: its type, <data> attributes and port shapes.
struct IRLayer {
    struct Port { var id: Int; var dims: [Int] }
    var id: Int
    var name: String
    var type: String
    var data: [String: String]
    var inputPorts: [Port]
    var outputPorts: [Port]

    var label: String { "\(name) (\(type), id \(id))" }

    init(_ e: IRXMLElement) throws(ModelFormatError) {
        guard let id = Int(e.attributes["id"] ?? ""), let type = e.attributes["type"] else {
            throw .unreadable(format: "OpenVINO IR", reason: "a <layer> without id or type")
        }
        self.id = id
        self.type = type
        name = e.attributes["name"] ?? "\(id)"
        data = e.child("data")?.attributes ?? [:]
        func ports(_ section: String) throws(ModelFormatError) -> [Port] {
            try (e.child(section)?.children("port") ?? []).map { p throws(ModelFormatError) -> Port in
                guard let pid = Int(p.attributes["id"] ?? "") else { throw .unreadable(format: "OpenVINO IR", reason: "layer \(id): a port without id") }
                return Port(id: pid, dims: p.children("dim").compactMap { Int($0.text) })
            }
        }
        inputPorts = try ports("input")
        outputPorts = try ports("output")
    }

    /// A comma-separated list attribute ("1, 1") as integers.
    func ints(_ key: String) -> [Int]? {
        guard let raw = data[key] else { return nil }
        let parts = raw.split(separator: ",").map { Int($0.trimmingCharacters(in: " ")) }
        return parts.contains(nil) ? nil : parts.compactMap { $0 }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}
