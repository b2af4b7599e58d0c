import Crypto
import Foundation

/// One of the three dlib model files, with the size and SHA-256 of the copy published in
/// `face_recognition_models` 0.3.0 (the same hashes scripts/setup.sh checks).
///
/// Every file is checked before it is parsed: a missing, truncated or substituted model is a
/// clear startup error rather than a parse error deep inside, or a model that loads and answers
/// wrongly. Hashing the 32 MB takes tens of milliseconds, once per process.
struct ModelFile: Sendable, Equatable {
    let name: String
    let size: Int
    let sha256: String

    static let detector = ModelFile(
        name: "mmod_human_face_detector.dat", size: 729_940,
        sha256: "4cb19393e2fbaf2b1609a9319ad5386618c886a6234ec1b971f3e87c85d87fe6")
    static let shapePredictor = ModelFile(
        name: "shape_predictor_5_face_landmarks.dat", size: 9_150_489,
        sha256: "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888")
    static let embedder = ModelFile(
        name: "dlib_face_recognition_resnet_model_v1.dat", size: 22_466_066,
        sha256: "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30")

    static let all = [detector, shapePredictor, embedder]

    /// The file's bytes from `directory` (its `name` is a path relative to it) once their size and
    /// SHA-256 match: the only way model bytes reach a reader.
    func read(in directory: String) throws(FaceModelsError) -> [UInt8] {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(file: name, directory: directory) }
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw .unreadable(file: name, reason: error.localizedDescription)
        }
        try verify(bytes)
        return bytes
    }

    /// Checks the bytes are exactly this model: size first (a truncated download says so),
    /// then the SHA-256.
    func verify(_ bytes: [UInt8]) throws(FaceModelsError) {
        guard bytes.count == size else { throw .wrongSize(file: name, expected: size, found: bytes.count) }
        let found = SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        guard found == sha256 else { throw .checksumMismatch(file: name, expected: sha256, found: found) }
    }
}

public enum FaceModelsError: Error, Equatable, CustomStringConvertible {
    case missing(file: String, directory: String)
    case unreadable(file: String, reason: String)
    case wrongSize(file: String, expected: Int, found: Int)
    case checksumMismatch(file: String, expected: String, found: String)
    case invalid(file: String, reason: String)

    public var description: String {
        let hint = "; run scripts/setup.sh or point --models / FACEMATCH_MODEL_DIR at the right folder"
        switch self {
        case let .missing(file, directory):
            return "model file \(file) not found in \(directory)\(hint)"
        case let .unreadable(file, reason):
            return "model file \(file) cannot be read: \(reason)"
        case let .wrongSize(file, expected, found):
            return "model file \(file) is \(found) bytes, expected \(expected) (truncated or wrong file)\(hint)"
        case let .checksumMismatch(file, expected, found):
            return "model file \(file) has SHA-256 \(found), expected \(expected)\(hint)"
        case let .invalid(file, reason):
            return "model file \(file) could not be loaded: \(reason)"
        }
    }
}
