import CProtobuf

/// A face in an image's upright pixel frame; right and bottom inclusive.
public struct FaceMessage: Sendable, Equatable {
    public var left: Double
    public var top: Double
    public var right: Double
    public var bottom: Double
    public var confidence: Float
    /// (x, y) pairs.
    public var landmarks: [[Double]]

    public init(left: Double, top: Double, right: Double, bottom: Double, confidence: Float, landmarks: [[Double]]) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
        self.confidence = confidence
        self.landmarks = landmarks
    }

    init(_ c: Facematch__V1__Face) {
        var points: [[Double]] = []
        if let list = c.landmarks {
            for i in 0..<c.n_landmarks { if let p = list[i] { points.append([p.pointee.x, p.pointee.y]) } }
        }
        self.init(left: c.left, top: c.top, right: c.right, bottom: c.bottom, confidence: c.confidence, landmarks: points)
    }

    static func optional(_ pointer: UnsafeMutablePointer<Facematch__V1__Face>?) -> FaceMessage? {
        pointer.map { FaceMessage($0.pointee) }
    }

    func build(_ b: CMessageBuilder) -> UnsafeMutablePointer<Facematch__V1__Face> {
        let c = b.message(facematch__v1__face__init)
        c.pointee.left = left
        c.pointee.top = top
        c.pointee.right = right
        c.pointee.bottom = bottom
        c.pointee.confidence = confidence
        let points = landmarks.map { xy -> UnsafeMutablePointer<Facematch__V1__Point> in
            let p = b.message(facematch__v1__point__init)
            p.pointee.x = xy.first ?? 0
            p.pointee.y = xy.count > 1 ? xy[1] : 0
            return p
        }
        c.pointee.n_landmarks = points.count
        c.pointee.landmarks = b.array(points)
        return c
    }
}
