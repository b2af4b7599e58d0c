/// One face found by the detector.
public struct FaceDetection: Sendable, Equatable {
    /// Pixel coordinates in the image given to the detector; right and bottom inclusive, as dlib reports them.
    public let box: FaceBox
    /// The detector's score (dlib's `confidence`); every reported face scores above 0.
    public let confidence: Float

    public init(box: FaceBox, confidence: Float) {
        self.box = box
        self.confidence = confidence
    }
}
