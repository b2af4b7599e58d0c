/// YuNet (face_detection_yunet_2023mar.onnx, OpenCV Zoo) read into a graph: loaded once per
/// process, shared read-only by every thread's `YuNetDetector`.
public final class YuNetModel: Sendable {
    struct StrideValues: Sendable {
        var stride: Int
        var classScores: Int
        var objectness: Int
        var boxes: Int
        var landmarks: Int
    }

    let graph: GraphModel
    let strides: [StrideValues]

    /// Parses ONNX bytes (no checksum: `init(directory:)` checks the published file).
    public init(onnx bytes: [UInt8]) throws(ModelFormatError) {
        graph = try ONNXModelReader.read(bytes: bytes)
        guard graph.inputChannels == 3 else {
            throw .shapeMismatch(node: "input", detail: "\(graph.inputChannels) channels, YuNet takes 3 (BGR)")
        }
        var strides: [StrideValues] = []
        for stride in [8, 16, 32] {
            let names = ["cls", "obj", "bbox", "kps"].map { "\($0)_\(stride)" }
            let ids = names.compactMap(graph.value(named:))
            guard ids.count == 4 else { throw .missingValue(node: "graph output", value: names.joined(separator: ", ")) }
            strides.append(StrideValues(stride: stride, classScores: ids[0], objectness: ids[1], boxes: ids[2], landmarks: ids[3]))
        }
        self.strides = strides
    }

    /// Loads `yunet/face_detection_yunet_2023mar.onnx` from the models folder, size and SHA-256 checked first.
    public convenience init(directory: String) throws(FaceModelsError) {
        let bytes = try ModelFile.yunet.read(in: directory)
        do { try self.init(onnx: bytes) } catch { throw .invalid(file: ModelFile.yunet.name, reason: "\(error)") }
    }
}
