/// face-reidentification-retail-0095 (Intel Open Model Zoo, OpenVINO IR v11, FP16 weights widened
/// to fp32) read into a graph: loaded once per process, shared by every thread's `ReIDEmbedder`.
public final class ReIDModel: Sendable {
    /// Length of the embedding.
    public static let dimensions = 256
    let graph: GraphModel
    let output: Int

    /// Parses the IR (no checksum: `init(directory:)` checks the published files).
    public init(xml: [UInt8], weights: [UInt8]) throws(ModelFormatError) {
        graph = try OpenVINOIRReader.read(xml: xml, weights: weights)
        guard graph.inputChannels == 3, graph.outputs.count == 1 else {
            throw .shapeMismatch(node: "network", detail: "\(graph.inputChannels) input channels and \(graph.outputs.count) outputs; expected 3 (BGR) and 1")
        }
        output = graph.outputs[0].value
        let shapes = try graph.shapes(height: SimilarityAlignment.side, width: SimilarityAlignment.side)
        guard shapes[output] == TensorShape(height: 1, width: 1, channels: Self.dimensions) else {
            throw .shapeMismatch(node: graph.outputs[0].name, detail: "output \(shapes[output]), expected 1x1x\(Self.dimensions)")
        }
    }

    /// Loads the .xml and .bin from `face-reidentification-retail-0095/FP16/` in the models folder,
    /// size and SHA-256 checked first.
    public convenience init(directory: String) throws(FaceModelsError) {
        let xml = try ModelFile.reidentificationGraph.read(in: directory)
        let weights = try ModelFile.reidentificationWeights.read(in: directory)
        do { try self.init(xml: xml, weights: weights) } catch {
            throw .invalid(file: ModelFile.reidentificationGraph.name, reason: "\(error)")
        }
    }
}
