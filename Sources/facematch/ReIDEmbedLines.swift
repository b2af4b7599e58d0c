import FaceNet
import Foundation

/// `facematch embed --model face-reidentification-retail-0095`: YuNet faces, largest first, each
/// aligned and embedded; the same line shapes as the dlib family, with 256-d embeddings and the
/// model named in the JSON.
struct ReIDEmbedLines {
    let pipeline: ReIDPipeline

    init(directory: String) throws {
        do {
            pipeline = try ReIDPipeline(detector: try YuNetModel(directory: directory), embedder: try ReIDModel(directory: directory),
                                        threads: NetEngine.processorCount)
        } catch {
            throw CLIError(description: "\(error)")
        }
    }

    func line(file: String, bytes: [UInt8], json: Bool) throws -> String {
        let analysis = try pipeline.analyze(imageBytes: bytes)
        guard json else {
            let boxes = analysis.faces.map { f in
                "[\(Int(f.left.rounded())), \(Int(f.top.rounded())), \(Int(f.right.rounded())), \(Int(f.bottom.rounded()))]"
            }
            return "\(file): \(analysis.width)x\(analysis.height), \(analysis.faces.count) face(s) \(boxes.joined(separator: " "))"
        }
        let faces = analysis.faces.map { f -> JSONValue in
            .object([
                ("box", .array([f.left, f.top, f.right, f.bottom].map { .number(AnalysisJSON.hundredths($0)) })),
                ("confidence", .float(f.score)),
                ("landmarks", .array(f.landmarks.map { .array([.number(AnalysisJSON.hundredths($0.x)), .number(AnalysisJSON.hundredths($0.y))]) })),
                ("embedding", .array(f.embedding.map { .float($0) })),
            ])
        }
        return JSONValue.object([
            ("file", .string(file)),
            ("model", .string(FaceModelID.reidentification0095.rawValue)),
            ("width", .number(Double(analysis.width))),
            ("height", .number(Double(analysis.height))),
            ("faces", .array(faces)),
        ]).rendered()
    }
}
