/// The EXIF Orientation tag (0x0112): how the stored pixels must be turned to show the image upright.
/// Names say where the stored first row and first column end up: `.rightTop` (6) means the
/// stored top row becomes the right column, i.e. the stored image must turn 90° clockwise.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    case topLeft = 1      // as stored
    case topRight = 2     // mirrored left-right
    case bottomRight = 3  // turned 180°
    case bottomLeft = 4   // mirrored top-bottom
    case leftTop = 5      // transposed (mirrored about the main diagonal)
    case rightTop = 6     // turned 90° clockwise to be upright
    case rightBottom = 7  // transversed (mirrored about the anti-diagonal)
    case leftBottom = 8   // turned 90° counter-clockwise to be upright

    /// True when the upright image's width is the stored image's height.
    var swapsAxes: Bool { rawValue >= 5 }

    /// Upright size of a stored `width` x `height` image.
    func uprightSize(width: Int, height: Int) -> (width: Int, height: Int) {
        swapsAxes ? (height, width) : (width, height)
    }

    /// Where the upright pixel (0, 0) and unit steps along upright x and y fall in a stored,
    /// row-major buffer of `width` x `height` pixels of `channels` bytes each, as byte offsets.
    func strides(width: Int, height: Int, channels: Int) -> (base: Int, dx: Int, dy: Int) {
        let p = channels
        let r = channels * width
        let lastX = (width - 1) * p
        let lastY = (height - 1) * r
        switch self {
        case .topLeft: return (0, p, r)
        case .topRight: return (lastX, -p, r)
        case .bottomRight: return (lastX + lastY, -p, -r)
        case .bottomLeft: return (lastY, p, -r)
        case .leftTop: return (0, r, p)
        case .rightTop: return (lastY, -r, p)
        case .rightBottom: return (lastX + lastY, -r, -p)
        case .leftBottom: return (lastX, r, -p)
        }
    }
}
