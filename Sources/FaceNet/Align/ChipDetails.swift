import Foundation

/// Where a face chip is cut from an image: a (possibly rotated) rectangle and the chip's pixel
/// size, as dlib's `chip_details`. The rectangle has real-valued inclusive corners.
struct ChipDetails: Sendable, Equatable {
    var left, top, right, bottom: Double
    /// Rotation of the rectangle about its centre, radians.
    var angle: Double
    var rows: Int
    var cols: Int

    init(left: Double, top: Double, right: Double, bottom: Double, angle: Double, rows: Int, cols: Int) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
        self.angle = angle
        self.rows = rows
        self.cols = cols
    }

    /// Mean positions of the 5-point model's landmarks in a unit face square (dlib's template
    /// for `get_face_chip_details`), in the landmark order of `AnalyzedFace.landmarks`.
    static let meanFace: [(x: Double, y: Double)] = [
        (0.8595674595992, 0.2134981538014),
        (0.6460604764104, 0.2289674387677),
        (0.1205750620789, 0.2137274526848),
        (0.3340850613712, 0.2290642403242),
        (0.4901123135679, 0.6277975316475),
    ]

    /// dlib's `get_face_chip_details(det, size, padding)` for a 5-point shape: the similarity
    /// that best lays the padded template over the landmarks decides the chip's rectangle and angle.
    static func face(landmarks: [FacePoint], size: Int, padding: Double) throws(FaceAlignmentError) -> ChipDetails {
        guard landmarks.count == meanFace.count else { throw .landmarkCount(landmarks.count, expected: meanFace.count) }
        guard size > 0, size <= 4096 else { throw .chipSize(size) }
        guard padding >= 0, padding.isFinite else { throw .padding(padding) }
        guard landmarks.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { throw .nonFiniteLandmarks }

        let side = Double(size)
        let template = meanFace.map { p in
            (x: (padding + p.x) / (2 * padding + 1) * side, y: (padding + p.y) / (2 * padding + 1) * side)
        }
        let points = landmarks.map { (x: $0.x, y: $0.y) }
        guard let tform = AffineTransform.similarity(from: template, to: points) else { throw .degenerateLandmarks }

        // A similarity is scale, rotation and translation: the image of (1, 0) gives the first
        // two, the image of the chip's centre the third.
        let angle = atan2(tform.m10, tform.m00)
        let scale = (tform.m00 * tform.m00 + tform.m10 * tform.m10).squareRoot()
        guard scale > 0, scale.isFinite else { throw .degenerateLandmarks }
        let centre = tform.apply(side / 2, side / 2)
        let extent = side * scale - 1
        return ChipDetails(left: centre.x - extent / 2, top: centre.y - extent / 2,
                           right: centre.x + extent / 2, bottom: centre.y + extent / 2,
                           angle: angle, rows: size, cols: size)
    }
}

public enum FaceAlignmentError: Error, Equatable, CustomStringConvertible {
    case landmarkCount(Int, expected: Int)
    case chipSize(Int)
    case padding(Double)
    case nonFiniteLandmarks
    case degenerateLandmarks

    public var description: String {
        switch self {
        case let .landmarkCount(n, expected): return "face alignment needs \(expected) landmarks, got \(n)"
        case let .chipSize(n): return "chip size \(n) is outside 1...4096"
        case let .padding(p): return "chip padding \(p) must be finite and non-negative"
        case .nonFiniteLandmarks: return "landmarks are not finite numbers"
        case .degenerateLandmarks: return "landmarks all coincide; no alignment exists"
        }
    }
}
