import FaceNet
import Foundation

/// `facematch embed --model face-reidentification-retail-0095`: YuNet faces, largest first, each
/// aligned and embedded; the same JSON line shape as the dlib family, with 256-d embeddings and
/// the model named.
struct ReIDEmbedLines {
    let detector: YuNetDetector
    let embedder: ReIDEmbedder

    init(directory: String) throws {
        do {
            detector = try YuNetDetector(model: try YuNetModel(directory: directory), threads: NetEngine.processorCount)
            embedder = try ReIDEmbedder(model: try ReIDModel(directory: directory))
        } catch {
            throw CLIError(description: "\(error)")
        }
    }

    func line(file: String, bytes: [UInt8], json: Bool) throws -> String {
        let decoded = try ImageDecoder.decode(bytes)
        let faces = try detector.detect(decoded.image).sorted { $0.area > $1.area }
        func point(_ x: Float, _ y: Float) -> (x: Double, y: Double) { decoded.originalPoint(x: Double(x), y: Double(y)) }
        guard json else {
            let boxes = faces.map { f -> String in
                let a = point(f.x, f.y), b = point(f.x + f.width, f.y + f.height)
                return "[\(Int(a.x.rounded())), \(Int(a.y.rounded())), \(Int(b.x.rounded())), \(Int(b.y.rounded()))]"
            }
            return "\(file): \(decoded.originalWidth)x\(decoded.originalHeight), \(faces.count) face(s) \(boxes.joined(separator: " "))"
        }
        let rendered = try faces.map { f -> JSONValue in
            let a = point(f.x, f.y), b = point(f.x + f.width, f.y + f.height)
            let embedding = try SimilarityAlignment.crop(decoded.image, landmarks: f.landmarks).map { try embedder.embed(crop: $0) } ?? []
            return .object([
                ("box", .array([a.x, a.y, b.x, b.y].map { .number(AnalysisJSON.hundredths($0)) })),
                ("confidence", .float(f.score)),
                ("landmarks", .array(f.landmarks.map { p in
                    let q = point(p.x, p.y)
                    return .array([.number(AnalysisJSON.hundredths(q.x)), .number(AnalysisJSON.hundredths(q.y))])
                })),
                ("embedding", .array(embedding.map { .float($0) })),
            ])
        }
        return JSONValue.object([
            ("file", .string(file)),
            ("model", .string(FaceModelID.reidentification0095.rawValue)),
            ("width", .number(Double(decoded.originalWidth))),
            ("height", .number(Double(decoded.originalHeight))),
            ("faces", .array(rendered)),
        ]).rendered()
    }
}
