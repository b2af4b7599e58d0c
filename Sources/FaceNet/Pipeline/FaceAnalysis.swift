/// What the pipeline found in one image. Coordinates are in the original image's upright frame
/// (EXIF orientation applied), in pixels, even when detection ran on a downscaled working copy.
public struct FaceAnalysis: Sendable {
    /// Upright size of the original image.
    public let width: Int
    public let height: Int
    /// Largest face first.
    public let faces: [AnalyzedFace]

    public init(width: Int, height: Int, faces: [AnalyzedFace]) {
        self.width = width
        self.height = height
        self.faces = faces
    }
}

public struct AnalyzedFace: Sendable {
    public let box: FaceBox
    /// The detector's score; dlib reports detections above 0.
    public let confidence: Float
    /// The five landmarks in the model's order. dlib: right eye outer corner, right eye inner
    /// corner, left eye outer corner, left eye inner corner, bottom of the nose (subject's
    /// right/left); YuNet: the eye centres (image-left first), nose tip, mouth corners.
    public let landmarks: [FacePoint]
    /// The embedding: dlib's 128-d descriptor, or 0095's 256-d embedding at unit length in the
    /// service; the service compares either by direction (`angularDistance`).
    public let embedding: [Float]
    /// Size, pose, sharpness, exposure and framing of the face; nil for faces past the embed limit.
    public let quality: FaceQuality?

    public init(box: FaceBox, confidence: Float, landmarks: [FacePoint], embedding: [Float], quality: FaceQuality? = nil) {
        self.box = box
        self.confidence = confidence
        self.landmarks = landmarks
        self.embedding = embedding
        self.quality = quality
    }
}

/// A face rectangle; `right` and `bottom` are inclusive as dlib reports them.
public struct FaceBox: Sendable, Equatable {
    public var left: Double
    public var top: Double
    public var right: Double
    public var bottom: Double

    public init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    /// The same box in an image `x` times as wide and `y` times as tall. Boxes cover whole pixels
    /// (inclusive corners), so their edges are scaled, not their corner pixel centres.
    public func scaled(x: Double, y: Double) -> FaceBox {
        FaceBox(left: left * x, top: top * y, right: (right + 1) * x - 1, bottom: (bottom + 1) * y - 1)
    }

    public var width: Double { right - left + 1 }
    public var height: Double { bottom - top + 1 }
    public var area: Double { width * height }
}

public struct FacePoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// The L2 distance between two descriptors.
public func descriptorDistance(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "descriptor length mismatch")
    var sum: Float = 0
    for i in a.indices {
        let d = a[i] - b[i]
        sum += d * d
    }
    return Double(sum).squareRoot()
}

/// The cosine similarity of two descriptors, in -1...1 (0 when either is all zeros), in Double.
public func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "descriptor length mismatch")
    var dot: Double = 0, aa: Double = 0, bb: Double = 0
    for i in a.indices {
        dot += Double(a[i]) * Double(b[i])
        aa += Double(a[i]) * Double(a[i])
        bb += Double(b[i]) * Double(b[i])
    }
    return aa > 0 && bb > 0 ? dot / (aa * bb).squareRoot() : 0
}

/// The L2 distance between two descriptors scaled to unit length, sqrt(2 - 2 cos): how the
/// service compares descriptors of every model, in 1:1 compares and in its stores alike.
public func angularDistance(_ a: [Float], _ b: [Float]) -> Double {
    max(0, 2 - 2 * cosineSimilarity(a, b)).squareRoot()
}
