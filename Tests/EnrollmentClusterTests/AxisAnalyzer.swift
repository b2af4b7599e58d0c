import FaceNet
import MatchRPC

/// A stand-in face engine for one model: the "image" `face:N` holds one frontal face whose
/// embedding is the unit vector along axis N, of the model's dimension.
struct AxisAnalyzer: FaceAnalyzing {
    let dimension: Int

    func analyze(imageBytes: [UInt8], shouldStop: @escaping @Sendable () -> Bool) throws -> FaceAnalysis {
        let text = String(decoding: imageBytes, as: UTF8.self)
        guard text.hasPrefix("face:"), let axis = Int(text.dropFirst(5)), (0..<dimension).contains(axis) else {
            throw AnalysisError.invalidImage("not a JPEG, PNG or WebP image")
        }
        let quality = FaceQuality(eyeDistance: 88, rollDegrees: 2, yawDegrees: -3, sharpness: 300, brightness: 120,
                                  darkFraction: 0, brightFraction: 0, outsideFraction: 0)
        let face = AnalyzedFace(box: FaceBox(left: 10, top: 20, right: 209, bottom: 219), confidence: 1.5,
                                landmarks: (0..<5).map { FacePoint(x: Double(30 + $0), y: 40) },
                                embedding: Self.embedding(axis: axis, dimension: dimension), quality: quality)
        return FaceAnalysis(width: 640, height: 480, faces: [face])
    }

    static func embedding(axis: Int, dimension: Int) -> [Float] {
        var embedding = [Float](repeating: 0, count: dimension)
        embedding[axis] = 1
        return embedding
    }
}
