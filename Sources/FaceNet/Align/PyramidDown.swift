/// dlib's `pyramid_down<2>` on RGB images: a separable 5-tap [1 4 6 4 1] Gaussian, keeping every
/// other row and column, in integer arithmetic (sum of weights 256, truncating division).
/// Output pixel (c, r) is centred on input pixel (2c + 2, 2r + 2).
enum PyramidDown {
    /// Maps a point of the input to the output as dlib declares it (its own convention, which
    /// the chip extraction relies on): p / 2 - (1.25, 0.75).
    static func pointDown(_ x: Double, _ y: Double) -> (Double, Double) {
        (x / 2 - 1.25, y / 2 - 0.75)
    }

    static func rectDown(_ r: RealRect) -> RealRect {
        let (l, t) = pointDown(r.left, r.top)
        let (rr, b) = pointDown(r.right, r.bottom)
        return RealRect(left: l, top: t, right: rr, bottom: b)
    }

    /// Images of 8 pixels or fewer in either direction become empty, as in dlib.
    static func halve(_ image: RGBImage) -> RGBImage {
        guard image.width > 8, image.height > 8 else { return RGBImage(width: 0, height: 0) }
        let tempWidth = (image.width - 3) / 2
        let outHeight = (image.height - 3) / 2
        var temp = [UInt32](repeating: 0, count: image.height * tempWidth * 3)
        var out = [UInt8](repeating: 0, count: outHeight * tempWidth * 3)
        image.pixels.withUnsafeBufferPointer { src in
            temp.withUnsafeMutableBufferPointer { tmp in
                for r in 0..<image.height {
                    let row = r * image.width * 3, tempRow = r * tempWidth * 3
                    for c in 0..<tempWidth {
                        let s = row + 2 * c * 3
                        for ch in 0..<3 {
                            let v0 = UInt32(src[s + ch]), v1 = UInt32(src[s + 3 + ch]), v2 = UInt32(src[s + 6 + ch])
                            let v3 = UInt32(src[s + 9 + ch]), v4 = UInt32(src[s + 12 + ch])
                            tmp[tempRow + c * 3 + ch] = v0 + 4 * v1 + 6 * v2 + 4 * v3 + v4
                        }
                    }
                }
            }
            temp.withUnsafeBufferPointer { tmp in
                out.withUnsafeMutableBufferPointer { dst in
                    let stride = tempWidth * 3
                    for dr in 0..<outHeight {
                        let centre = (2 + 2 * dr) * stride
                        for i in 0..<stride {
                            let sum = tmp[centre - 2 * stride + i] + 4 * tmp[centre - stride + i] + 6 * tmp[centre + i]
                                + 4 * tmp[centre + stride + i] + tmp[centre + 2 * stride + i]
                            dst[dr * stride + i] = UInt8(truncatingIfNeeded: sum / 256)
                        }
                    }
                }
            }
        }
        return RGBImage(width: tempWidth, height: outHeight, pixels: out)
    }
}

/// dlib's `drectangle`: real-valued inclusive corners; width = right - left + 1.
struct RealRect: Equatable {
    var left, top, right, bottom: Double

    var isEmpty: Bool { top > bottom || left > right }
    var width: Double { isEmpty ? 0 : right - left + 1 }
    var height: Double { isEmpty ? 0 : bottom - top + 1 }
    var area: Double { width * height }
    var centre: (x: Double, y: Double) { ((left + right) / 2, (top + bottom) / 2) }

    /// The smallest rectangle holding all the points.
    static func bounding(_ points: [(x: Double, y: Double)]) -> RealRect {
        RealRect(left: points.map(\.x).min() ?? 0, top: points.map(\.y).min() ?? 0,
                 right: points.map(\.x).max() ?? -1, bottom: points.map(\.y).max() ?? -1)
    }
}
