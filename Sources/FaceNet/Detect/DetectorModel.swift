import Foundation

/// dlib's CNN face detector (`mmod_human_face_detector.dat`), parsed once per process: the
/// seven convolutions with their batch-norm folded in, the MMOD options and the input pyramid
/// settings. Immutable and shareable; each thread runs it through its own `FaceDetector`.
final class DetectorModel: Sendable {
    let options: MMODOptions
    let input: PyramidInputSettings
    let layers: [DetectorConvLayer]
    let weights: DetectorWeights

    convenience init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw DlibModelError.fileUnreadable(path: path, reason: error.localizedDescription)
        }
        try self.init(bytes: [UInt8](data))
    }

    init(bytes: [UInt8]) throws {
        let parsed = try DetectorModelReader.parse(bytes)
        options = parsed.options
        input = parsed.input
        layers = parsed.layers
        weights = try DetectorWeights(layers: parsed.layers)
    }

    /// Side of the square detector window in the tiled pyramid (80 for dlib's face model).
    var windowSize: Int { options.detectorWindows.map { max($0.width, $0.height) }.max() ?? 0 }
}
