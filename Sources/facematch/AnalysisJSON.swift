import FaceNet
import MatchRPC

/// The JSON the CLI prints, keys in the documented order.
enum AnalysisJSON {
    /// `facematch embed`: {"file", "width", "height", "faces": [...]}.
    static func embedLine(file: String, analysis: FaceAnalysis) -> JSONValue {
        .object([
            ("file", .string(file)),
            ("width", .number(Double(analysis.width))),
            ("height", .number(Double(analysis.height))),
            ("faces", .array(analysis.faces.map(face))),
        ])
    }

    static func errorLine(file: String, error: String) -> JSONValue {
        .object([("file", .string(file)), ("error", .string(error))])
    }

    static func face(_ face: AnalyzedFace) -> JSONValue {
        .object([
            ("box", box(face.box)),
            ("confidence", .float(face.confidence)),
            ("landmarks", .array(face.landmarks.map { .array([.number(hundredths($0.x)), .number(hundredths($0.y))]) })),
            ("embedding", .array(face.embedding.map { .float($0) })),
        ])
    }

    /// [left, top, right, bottom] to 1/100 px (coordinates scaled back to the original are fractional).
    static func box(_ box: FaceBox) -> JSONValue {
        .array([box.left, box.top, box.right, box.bottom].map { .number(hundredths($0)) })
    }

    /// `facematch compare`: the report; absent values are null so every report has the same keys.
    static func report(_ report: MatchReport) -> JSONValue {
        let warnings: [JSONValue] = report.warnings.map {
            .object([
                ("risk", .string($0.risk.rawValue)),
                ("log_type", .string($0.logType.rawValue)),
                ("short_description", .string($0.shortDescription)),
                ("long_description", .string($0.longDescription)),
            ])
        }
        func side(_ face: AnalyzedFace?) -> JSONValue {
            guard let face else { return .null }
            return .object([("box", box(face.box)), ("confidence", .float(face.confidence))])
        }
        return .object([
            ("status", .string(report.status.rawValue)),
            ("score", .number((report.score * 100).rounded() / 100)),
            ("distance", report.distance.map { .number(($0 * 1_000_000).rounded() / 1_000_000) } ?? .null),
            ("warnings", .array(warnings)),
            ("source_face", side(report.sourceFace)),
            ("target_face", side(report.targetFace)),
        ])
    }

    static func hundredths(_ v: Double) -> Double { (v * 100).rounded() / 100 }
}
