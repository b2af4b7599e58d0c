/// Collects nodes as a reader meets them, then folds what the runner does for free: a per-channel
/// affine (a bias add, batch norm) or an activation straight after a convolution goes into that
/// convolution, and two affines in a row become one. Fusion only applies when the intermediate
/// value has no other reader, so the result computes the same function.
struct GraphBuilder {
    private(set) var nodes: [GraphNode] = []
    let inputChannels: Int

    init(inputChannels: Int) { self.inputChannels = inputChannels }

    /// Adds a node and returns the id of the value it produces.
    mutating func append(_ op: GraphOp, inputs: [Int], label: String) -> Int {
        nodes.append(GraphNode(op: op, inputs: inputs, label: label))
        return nodes.count
    }

    func finish(outputs: [(name: String, value: Int)]) -> GraphModel {
        var readers = [Int](repeating: 0, count: nodes.count + 1)
        for node in nodes { for input in node.inputs { readers[input] += 1 } }
        for output in outputs { readers[output.value] += 1 }

        var fused: [GraphNode] = []
        var newID = [Int](repeating: 0, count: nodes.count + 1)   // old value id -> new value id
        var lastOldID = [0]                                         // new value id -> old id it now stands for
        for (index, node) in nodes.enumerated() {
            let oldID = index + 1
            var node = node
            node.inputs = node.inputs.map { newID[$0] }
            let source = node.inputs[0]
            if source > 0, readers[lastOldID[source]] == 1, let merged = Self.fold(node.op, into: fused[source - 1].op) {
                fused[source - 1].op = merged
                newID[oldID] = source
                lastOldID[source] = oldID
                continue
            }
            fused.append(node)
            newID[oldID] = fused.count
            lastOldID.append(oldID)
        }
        return GraphModel(inputChannels: inputChannels, nodes: fused,
                          outputs: outputs.map { ($0.name, newID[$0.value]) })
    }

    /// `op` applied after `producer`, as one operation, or nil when they do not combine.
    private static func fold(_ op: GraphOp, into producer: GraphOp) -> GraphOp? {
        switch (producer, op) {
        case (.convolution(var c), let .channelAffine(scale, shift)) where c.activation == .none:
            let perOutput = c.weights.count / c.outChannels
            for o in 0..<c.outChannels {
                for k in 0..<perOutput { c.weights[o * perOutput + k] *= scale[o] }
                c.bias[o] = c.bias[o] * scale[o] + shift[o]
            }
            return .convolution(c)
        case (.convolution(var c), let .activation(activation)) where c.activation == .none:
            c.activation = activation
            return .convolution(c)
        case let (.channelAffine(s1, t1), .channelAffine(s2, t2)):
            return .channelAffine(scale: zip(s1, s2).map { $0 * $1 },
                                  shift: (0..<s1.count).map { t1[$0] * s2[$0] + t2[$0] })
        default:
            return nil
        }
    }
}
