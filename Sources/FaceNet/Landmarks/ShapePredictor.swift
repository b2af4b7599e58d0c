/// Finds the five face landmarks inside a detected box, as dlib's `shape_predictor` does.
///
/// Immutable and `Sendable`: one instance serves every thread (each call uses only local buffers).
public struct ShapePredictor: Sendable {
    let model: ShapePredictorModel

    init(model: ShapePredictorModel) {
        self.model = model
    }

    /// Parses `shape_predictor_5_face_landmarks.dat`'s bytes.
    init(bytes: [UInt8]) throws {
        self.init(model: try ShapePredictorModel(bytes: bytes))
    }

    /// The landmarks, in image pixels, rounded to whole pixels as dlib's `full_object_detection`
    /// holds them (the chip alignment downstream is fitted to those integer points).
    /// `box` is rounded to whole pixels first, as dlib's `rectangle` is.
    public func landmarks(in image: RGBImage, box: FaceBox) -> [FacePoint] {
        let frame = BoxFrame(box)
        let initial = model.initialShape
        var shape = initial
        var features = [Float]()
        image.pixels.withUnsafeBufferPointer { pixels in
            for cascade in model.cascades {
                sampleFeatures(cascade, shape: shape, frame: frame, image: image, pixels: pixels, into: &features)
                addTreeOutputs(cascade, features: features, to: &shape)
            }
        }
        return (0..<model.partCount).map { part in
            let (x, y) = frame.toImage(shape[2 * part], shape[2 * part + 1])
            return FacePoint(x: roundHalfUp(x), y: roundHalfUp(y))
        }
    }

    /// Grey levels at each feature pixel: the pixel's offset from its anchor part, rotated and
    /// scaled by how the current shape differs from the initial one, mapped into the box.
    /// Pixels outside the image read as 0.
    private func sampleFeatures(_ cascade: ShapePredictorModel.Cascade, shape: [Float], frame: BoxFrame,
                                image: RGBImage, pixels: UnsafeBufferPointer<UInt8>, into features: inout [Float]) {
        let (a, b) = rotationScale(from: model.initialShape, to: shape)
        features.removeAll(keepingCapacity: true)
        for i in cascade.anchors.indices {
            let anchor = cascade.anchors[i]
            let dx = cascade.deltas[2 * i], dy = cascade.deltas[2 * i + 1]
            let nx = (a * dx + -b * dy) + shape[2 * anchor]
            let ny = (b * dx + a * dy) + shape[2 * anchor + 1]
            let (fx, fy) = frame.toImage(nx, ny)
            let x = roundHalfUp(fx), y = roundHalfUp(fy)
            if x >= 0, y >= 0, x < Double(image.width), y < Double(image.height) {
                let index = image.index(x: Int(x), y: Int(y))
                // dlib's rgb → grey: the truncated mean of the three channels.
                let sum = Int(pixels[index]) + Int(pixels[index + 1]) + Int(pixels[index + 2])
                features.append(Float(sum / 3))
            } else {
                features.append(0)
            }
        }
    }

    /// Walks every tree of the cascade and adds the reached leaf's shape update.
    private func addTreeOutputs(_ cascade: ShapePredictorModel.Cascade, features: [Float], to shape: inout [Float]) {
        let width = shape.count
        for tree in 0..<cascade.treeCount {
            let first = cascade.splitStart[tree], splitCount = cascade.splitStart[tree + 1] - first
            var node = 0
            while node < splitCount {
                let s = first + node
                let difference = features[Int(cascade.splitIndex1[s])] - features[Int(cascade.splitIndex2[s])]
                node = difference > cascade.thresholds[s] ? 2 * node + 1 : 2 * node + 2
            }
            let leafBase = (cascade.leafStart[tree] + node - splitCount) * width
            for k in 0..<width { shape[k] += cascade.leaves[leafBase + k] }
        }
    }

    /// The linear part (a, -b; b, a) of the similarity from the initial shape to `shape`,
    /// in single precision as dlib applies it.
    private func rotationScale(from initial: [Float], to shape: [Float]) -> (Float, Float) {
        let count = initial.count / 2
        guard count > 1 else { return (1, 0) }
        let from = (0..<count).map { (x: Double(initial[2 * $0]), y: Double(initial[2 * $0 + 1])) }
        let to = (0..<count).map { (x: Double(shape[2 * $0]), y: Double(shape[2 * $0 + 1])) }
        guard let t = AffineTransform.similarity(from: from, to: to) else { return (1, 0) }
        return (Float(t.m00), Float(t.m10))
    }
}

/// The map from the unit square of the shape model onto a face box: (0,0) to the top-left
/// corner and (1,1) to the bottom-right one (inclusive corners, as dlib's rectangle).
struct BoxFrame {
    let left: Double, top: Double, spanX: Double, spanY: Double

    init(_ box: FaceBox) {
        left = roundHalfUp(box.left)
        top = roundHalfUp(box.top)
        spanX = roundHalfUp(box.right) - left
        spanY = roundHalfUp(box.bottom) - top
    }

    @inline(__always) func toImage(_ x: Float, _ y: Float) -> (Double, Double) {
        (spanX * Double(x) + left, spanY * Double(y) + top)
    }
}

/// dlib's conversion of a real coordinate to a pixel: floor(v + 0.5).
@inline(__always) func roundHalfUp(_ value: Double) -> Double {
    (value + 0.5).rounded(.down)
}
