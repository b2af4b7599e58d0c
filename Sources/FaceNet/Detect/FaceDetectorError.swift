/// Inputs the detector refuses.
public enum FaceDetectorError: Error, Equatable, CustomStringConvertible {
    case imageTooLarge(width: Int, height: Int, maximumPyramidPixels: Int)

    public var description: String {
        switch self {
        case let .imageTooLarge(width, height, maximum):
            return "image \(width)x\(height) needs an image pyramid over the detector's \(maximum) pixels; downscale it first"
        }
    }
}
