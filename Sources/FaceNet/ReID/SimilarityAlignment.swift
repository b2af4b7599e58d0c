/// Cuts the 128x128 crop face-reidentification-retail-0095 expects: the similarity transform
/// (Umeyama least squares) taking the five landmarks onto the model's reference points, applied
/// with bilinear sampling and black outside the image, the way OpenCV's warpAffine does it.
public enum SimilarityAlignment {
    public static let side = 128

    /// Reference points as fractions of the side, image-left first: eyes, nose tip, mouth corners
    /// (Open Model Zoo's documentation of the model).
    static let reference: [(x: Double, y: Double)] = [
        (0.31556875, 0.46157411), (0.68262292, 0.46157411), (0.50026250, 0.64050536),
        (0.34947188, 0.82469196), (0.65343646, 0.82469196),
    ]

    /// The transform from image pixels to crop pixels for these five landmarks.
    static func transform(landmarks: [SIMD2<Float>]) -> AffineTransform? {
        guard landmarks.count == reference.count else { return nil }
        let from = landmarks.map { (x: Double($0.x), y: Double($0.y)) }
        let to = reference.map { (x: $0.x * Double(side), y: $0.y * Double(side)) }
        return AffineTransform.similarity(from: from, to: to)
    }

    /// The aligned crop, or nil when the landmarks do not define a usable transform (fewer than
    /// five, or so close together that the crop would sample far outside the image).
    public static func crop(_ image: RGBImage, landmarks: [SIMD2<Float>]) -> RGBImage? {
        guard let forward = transform(landmarks: landmarks), let inverse = forward.inverted() else { return nil }
        // The map is affine, so the crop's corners bound every sampled position; far-off positions
        // (degenerate landmarks) would overflow the fixed-point arithmetic.
        let limit = Double(1 << 24)
        for (x, y) in [(0, 0), (side, 0), (0, side), (side, side)] {
            let p = inverse.apply(Double(x), Double(y))
            guard abs(p.x) < limit, abs(p.y) < limit else { return nil }
        }
        return warp(image, inverse: inverse)
    }

    /// Samples `image` at `inverse(x, y)` for every crop pixel in OpenCV 4 warpAffine's fixed point:
    /// positions in 1/1024 pixel rounded to 1/32, weights in 1/32768, the sum rounded to 8 bits.
    /// (OpenCV 5 interpolates in float; the crops differ by 0.1 level on average, 4 at most, on
    /// the fixtures.)
    static func warp(_ image: RGBImage, inverse m: AffineTransform) -> RGBImage {
        var out = [UInt8](repeating: 0, count: side * side * 3)
        let w = image.width, h = image.height
        func fixed(_ v: Double) -> Int { Int((v * 1024).rounded(.toNearestOrEven)) }
        // OpenCV's per-column deltas, computed once per crop.
        let columnX = (0..<side).map { fixed(m.m00 * Double($0)) }, columnY = (0..<side).map { fixed(m.m10 * Double($0)) }
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<side {
                    let rowX = fixed(m.m01 * Double(y) + m.tx) + 16, rowY = fixed(m.m11 * Double(y) + m.ty) + 16
                    for x in 0..<side {
                        let qx = (rowX + columnX[x]) >> 5, qy = (rowY + columnY[x]) >> 5
                        let x0 = qx >> 5, y0 = qy >> 5
                        let fx = qx & 31, fy = qy & 31
                        let w00 = (32 - fx) * (32 - fy) * 32, w01 = fx * (32 - fy) * 32
                        let w10 = (32 - fx) * fy * 32, w11 = fx * fy * 32
                        let o = (y * side + x) * 3
                        if x0 >= 0, y0 >= 0, x0 + 1 < w, y0 + 1 < h {
                            let p = (y0 * w + x0) * 3, q = p + w * 3
                            for c in 0..<3 {
                                let sum = (1 << 14) + w00 * Int(src[p + c]) + w01 * Int(src[p + 3 + c])
                                    + w10 * Int(src[q + c]) + w11 * Int(src[q + 3 + c])
                                dst[o + c] = UInt8(truncatingIfNeeded: min(255, sum >> 15))
                            }
                            continue
                        }
                        let inX0 = x0 >= 0 && x0 < w, inX1 = x0 + 1 >= 0 && x0 + 1 < w
                        let inY0 = y0 >= 0 && y0 < h, inY1 = y0 + 1 >= 0 && y0 + 1 < h
                        for c in 0..<3 {
                            var sum = 1 << 14
                            if inY0 && inX0 { sum += w00 * Int(src[(y0 * w + x0) * 3 + c]) }
                            if inY0 && inX1 { sum += w01 * Int(src[(y0 * w + x0 + 1) * 3 + c]) }
                            if inY1 && inX0 { sum += w10 * Int(src[((y0 + 1) * w + x0) * 3 + c]) }
                            if inY1 && inX1 { sum += w11 * Int(src[((y0 + 1) * w + x0 + 1) * 3 + c]) }
                            dst[o + c] = UInt8(truncatingIfNeeded: min(255, sum >> 15))
                        }
                    }
                }
            }
        }
        return RGBImage(width: side, height: side, pixels: out)
    }
}

extension AffineTransform {
    /// The inverse map, or nil when this one is singular.
    func inverted() -> AffineTransform? {
        let det = m00 * m11 - m01 * m10
        guard det != 0, det.isFinite else { return nil }
        let a = m11 / det, b = -m01 / det, c = -m10 / det, d = m00 / det
        return AffineTransform(m00: a, m01: b, m10: c, m11: d, tx: -(a * tx + b * ty), ty: -(c * tx + d * ty))
    }
}
