/// Measures of how trustworthy one face's descriptor is, taken from its landmarks (original
/// image pixels) and its aligned chip. The service turns them into FACE_TOO_SMALL and
/// LOW_QUALITY warnings; docs/score-calibration.md gives their distributions on LFW.
public struct FaceQuality: Sendable, Equatable {
    /// Distance between the two eye centres (mean of each eye's two corners), original pixels.
    public var eyeDistance: Double
    /// Head roll: angle of the line between the eyes against the horizontal, degrees.
    public var rollDegrees: Double
    /// Head yaw estimated from how far the nose sits off the eyes' midline (see `FaceQualityMeasure`),
    /// degrees; the sign says which way, the magnitude matters.
    public var yawDegrees: Double
    /// Variance of the Laplacian of the chip's grey levels over the face (the chip's central part):
    /// low means blurred or upsampled from a tiny face.
    public var sharpness: Double
    /// Mean grey level (0–255) over the face.
    public var brightness: Double
    /// Fractions of face pixels at or below 10 / at or above 245 grey.
    public var darkFraction: Double
    public var brightFraction: Double
    /// Fraction of the face square (the chip's region without padding) outside the image.
    public var outsideFraction: Double

    public init(eyeDistance: Double, rollDegrees: Double, yawDegrees: Double, sharpness: Double,
                brightness: Double, darkFraction: Double, brightFraction: Double, outsideFraction: Double) {
        self.eyeDistance = eyeDistance
        self.rollDegrees = rollDegrees
        self.yawDegrees = yawDegrees
        self.sharpness = sharpness
        self.brightness = brightness
        self.darkFraction = darkFraction
        self.brightFraction = brightFraction
        self.outsideFraction = outsideFraction
    }
}
