import FaceNet
import Foundation

/// `facematch embed --model face-reidentification-retail-0095`: YuNet faces, largest first, each
/// aligned and embedded, printed in the same schema as the dlib family (`Output.Image`) with
/// 256-d embeddings.
struct ReIDEmbedLines {
    let pipeline: ReIDPipeline

    init(directory: String) throws {
        do {
            pipeline = try ReIDPipeline(detector: try YuNetModel(directory: directory), embedder: try ReIDModel(directory: directory),
                                        threads: ProcessorCount.available)
        } catch {
            throw CLIError(description: "\(error)")
        }
    }

    func image(file: String, bytes: [UInt8]) throws -> Output.Image {
        let analysis = try pipeline.analyze(imageBytes: bytes)
        let faces = analysis.faces.map { f in
            Output.Face(box: Output.Box(left: hundredths(f.left), top: hundredths(f.top), right: hundredths(f.right),
                                        bottom: hundredths(f.bottom)),
                        confidence: Double(f.score),
                        landmarks: f.landmarks.map { Output.Point(x: hundredths($0.x), y: hundredths($0.y)) },
                        embedding: f.embedding)
        }
        return Output.Image(file: file, width: analysis.width, height: analysis.height, faces: faces)
    }

    static func summary(_ image: Output.Image) -> String {
        let boxes = image.faces.map { f in
            "[\(Int(f.box.left.rounded())), \(Int(f.box.top.rounded())), \(Int(f.box.right.rounded())), \(Int(f.box.bottom.rounded()))]"
        }
        return "\(image.file): \(image.width)x\(image.height), \(image.faces.count) face(s) \(boxes.joined(separator: " "))"
    }
}
