import FaceNet
import Foundation
@testable import MatchRPC

/// A stand-in engine that reads a tiny text "image" instead of pixels, so service and server
/// tests run in milliseconds:
/// - `face:A` one 200 px face whose descriptor is the unit vector on axis A (0..<127);
///   `face:A:D` the unit vector in the plane of axes A and A+1 at distance D from `face:A` (the
///   L2 distance and the service's distance by direction alike);
/// - `faces:N:A` N faces, the largest being `face:A`; `small:A` a 40 px face (eyes 18 px apart);
///   `blurry:A` `face:A` with a blurred chip (LOW_QUALITY);
/// - `noface` an image without a face; `block` waits at `gate` then answers like `face:0`;
/// - `slow:MS` works for MS milliseconds (stands in for inference time), then answers like `face:0`;
/// - `stall` waits at `gate`, then stops when `shouldStop` says so (a deadline that passed
///   while it ran), else answers like `face:0`;
/// - `crash` throws an unexpected error; anything else is not an image.
struct FakeAnalyzer: FaceAnalyzing {
    let gate: Gate?

    func analyze(imageBytes: [UInt8], shouldStop: @escaping @Sendable () -> Bool) throws -> FaceAnalysis {
        let text = String(decoding: imageBytes, as: UTF8.self)
        let parts = text.split(separator: ":").map(String.init)
        switch parts.first {
        case "noface":
            return FaceAnalysis(width: 640, height: 480, faces: [])
        case "block":
            gate?.pass()
            return Self.analysis([Self.face(axis: 0, offset: 0, width: 200)])
        case "slow" where parts.count == 2:
            guard let millis = UInt32(parts[1]) else { break }
            usleep(millis * 1000)
            return Self.analysis([Self.face(axis: 0, offset: 0, width: 200)])
        case "stall":
            gate?.pass()
            if shouldStop() { throw AnalysisError.stopped }
            return Self.analysis([Self.face(axis: 0, offset: 0, width: 200)])
        case "crash":
            throw CocoaError(.featureUnsupported)
        case "face" where parts.count >= 2, "small" where parts.count >= 2, "blurry" where parts.count >= 2:
            guard let axis = Int(parts[1]), (0..<127).contains(axis) else { break }
            let offset = parts.count > 2 ? Float(parts[2]) ?? 0 : 0
            var quality = FaceQuality.fake(eyeDistance: parts[0] == "small" ? 18 : 88)
            if parts[0] == "blurry" { quality.sharpness = 1 }
            return Self.analysis([Self.face(axis: axis, offset: offset, width: parts[0] == "small" ? 40 : 200, quality: quality)])
        case "faces" where parts.count == 3:
            guard let n = Int(parts[1]), n > 0, let axis = Int(parts[2]), (0..<127).contains(axis) else { break }
            let largest = Self.face(axis: axis, offset: 0, width: 200)
            let others = (1..<n).map { Self.face(axis: (axis + 10 + $0) % 127, offset: 0, width: 100) }
            return Self.analysis([largest] + others)
        default:
            break
        }
        throw AnalysisError.invalidImage("not a JPEG, PNG or WebP image")
    }

    static func face(axis: Int, offset: Float, width: Double, quality: FaceQuality? = nil) -> AnalyzedFace {
        var embedding = [Float](repeating: 0, count: 128)
        embedding[axis] = 1 - offset * offset / 2
        embedding[axis + 1] = offset * (1 - offset * offset / 4).squareRoot()
        return AnalyzedFace(box: FaceBox(left: 10, top: 20, right: 10 + width - 1, bottom: 20 + width - 1),
                            confidence: 1.5,
                            landmarks: (0..<5).map { FacePoint(x: Double(30 + $0), y: 40) },
                            embedding: embedding, quality: quality ?? .fake(eyeDistance: 0.44 * width))
    }

    static func analysis(_ faces: [AnalyzedFace]) -> FaceAnalysis {
        FaceAnalysis(width: 640, height: 480, faces: faces)
    }
}

struct FakeAnalyzerFactory: FaceAnalyzerFactory {
    var modelID = "fake-model-1"
    var gate: Gate?

    func makeAnalyzer() throws -> any FaceAnalyzing {
        FakeAnalyzer(gate: gate)
    }
}

/// Holds `block` calls until opened; tests wait on it for "n calls are now running" without sleeps.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var arrived = 0
    private var open = false

    func pass() {
        condition.lock()
        arrived += 1
        condition.broadcast()
        while !open { condition.wait() }
        condition.unlock()
    }

    func open(_ value: Bool = true) {
        condition.lock()
        open = value
        condition.broadcast()
        condition.unlock()
    }

    /// True once `count` calls have reached the gate; false after `timeout` seconds (a failure).
    func waitForArrivals(_ count: Int, timeout: TimeInterval = 10) -> Bool {
        let limit = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while arrived < count {
            if !condition.wait(until: limit) { return false }
        }
        return true
    }
}

/// The bytes of a fake-engine "image" (see `FakeAnalyzer`).
func fakeImage(_ text: String) -> [UInt8] { Array(text.utf8) }

extension FaceQuality {
    /// A frontal, sharp, well-exposed face whose eyes are `eyeDistance` px apart.
    static func fake(eyeDistance: Double) -> FaceQuality {
        FaceQuality(eyeDistance: eyeDistance, rollDegrees: 2, yawDegrees: -3, sharpness: 300, brightness: 120,
                    darkFraction: 0, brightFraction: 0, outsideFraction: 0)
    }
}
