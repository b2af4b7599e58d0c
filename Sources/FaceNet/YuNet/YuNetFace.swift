/// One face found by YuNet, in the pixels of the image it was given.
public struct YuNetFace: Sendable, Equatable {
    /// Top-left corner and size of the box.
    public var x: Float
    public var y: Float
    public var width: Float
    public var height: Float
    /// Five points, image-left first: the person's right eye, left eye, nose tip, right and left
    /// mouth corner (YuNet's order, and face-reidentification-retail-0095's).
    public var landmarks: [SIMD2<Float>]
    /// sqrt(class score x objectness), in 0...1.
    public var score: Float

    public var area: Float { width * height }
}
