import Foundation

/// Cuts the aligned face chip the ResNet expects, as dlib's `get_face_chip_details` +
/// `extract_image_chip` (bilinear interpolation, with a 2x image pyramid first when the chip is
/// much smaller than the face region).
public enum FaceAligner {
    public static func chip(from image: RGBImage, landmarks: [FacePoint], size: Int = 150,
                            padding: Double = 0.25) throws(FaceAlignmentError) -> RGBImage {
        extract(from: image, details: try ChipDetails.face(landmarks: landmarks, size: size, padding: padding))
    }

    /// dlib's `extract_image_chip` with bilinear interpolation; samples that fall outside the
    /// source region are black.
    static func extract(from image: RGBImage, details: ChipDetails) -> RGBImage {
        let rect = RealRect(left: details.left, top: details.top, right: details.right, bottom: details.bottom)
        let chipArea = Double(details.rows * details.cols)

        if details.angle == 0, Double(details.rows) == rect.height, Double(details.cols) == rect.width {
            return copy(from: image, rect: rect)
        }

        // How many halvings keep the region larger than the chip, and the margin (2 px per level,
        // doubling) the Gaussian needs around it.
        var grow = 2.0
        var probe = PyramidDown.rectDown(rect)
        while probe.area > chipArea {
            probe = PyramidDown.rectDown(probe)
            grow = grow * 2 + 2
        }
        let corners = rotatedCorners(of: rect, angle: details.angle)
        let spread = RealRect.bounding([corners.tl, corners.tr, corners.bl, corners.br])
        let clipped = RealRect(left: max(spread.left - grow, 0), top: max(spread.top - grow, 0),
                               right: min(spread.right + grow, Double(image.width - 1)),
                               bottom: min(spread.bottom + grow, Double(image.height - 1)))
        let region = crop(image, left: roundHalfUp(clipped.left), top: roundHalfUp(clipped.top),
                          right: roundHalfUp(clipped.right), bottom: roundHalfUp(clipped.bottom))

        var local = RealRect(left: rect.left - region.originX, top: rect.top - region.originY,
                             right: rect.right - region.originX, bottom: rect.bottom - region.originY)
        var source = region.image
        while PyramidDown.rectDown(local).area > chipArea {
            local = PyramidDown.rectDown(local)
            source = PyramidDown.halve(source)
        }

        let target = rotatedCorners(of: local, angle: details.angle)
        let lastCol = Double(details.cols - 1), lastRow = Double(details.rows - 1)
        guard let map = AffineTransform.affine(from: [(0, 0), (lastCol, 0), (0, lastRow)],
                                               to: [target.tl, target.tr, target.bl]) else {
            return RGBImage(width: details.cols, height: details.rows)
        }
        return sampleBilinear(source, rows: details.rows, cols: details.cols, map: map)
    }

    private static func rotatedCorners(of r: RealRect, angle: Double)
        -> (tl: (x: Double, y: Double), tr: (x: Double, y: Double), bl: (x: Double, y: Double), br: (x: Double, y: Double)) {
        let c = r.centre, cosA = cos(angle), sinA = sin(angle)
        func rotate(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
            let dx = x - c.x, dy = y - c.y
            return (cosA * dx - sinA * dy + c.x, sinA * dx + cosA * dy + c.y)
        }
        return (rotate(r.left, r.top), rotate(r.right, r.top), rotate(r.left, r.bottom), rotate(r.right, r.bottom))
    }

    /// The pixels of the inclusive rectangle (already inside the image, or empty).
    private static func crop(_ image: RGBImage, left: Double, top: Double, right: Double, bottom: Double)
        -> (image: RGBImage, originX: Double, originY: Double) {
        guard left <= right, top <= bottom, left >= 0, top >= 0,
              right < Double(image.width), bottom < Double(image.height) else {
            return (RGBImage(width: 0, height: 0), left, top)
        }
        let x0 = Int(left), y0 = Int(top), w = Int(right) - x0 + 1, h = Int(bottom) - y0 + 1
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            let from = image.index(x: x0, y: y0 + y)
            pixels.replaceSubrange((y * w * 3)..<((y + 1) * w * 3), with: image.pixels[from..<(from + w * 3)])
        }
        return (RGBImage(width: w, height: h, pixels: pixels), left, top)
    }

    /// dlib's `basic_extract_image_chip`: an unscaled, unrotated copy, black outside the image.
    private static func copy(from image: RGBImage, rect: RealRect) -> RGBImage {
        let left = Int(roundHalfUp(rect.left)), top = Int(roundHalfUp(rect.top))
        let width = Int(roundHalfUp(rect.right)) - left + 1, height = Int(roundHalfUp(rect.bottom)) - top + 1
        var chip = RGBImage(width: max(width, 0), height: max(height, 0))
        for y in 0..<chip.height where top + y >= 0 && top + y < image.height {
            for x in 0..<chip.width where left + x >= 0 && left + x < image.width {
                let s = image.index(x: left + x, y: top + y), d = chip.index(x: x, y: y)
                chip.pixels[d] = image.pixels[s]
                chip.pixels[d + 1] = image.pixels[s + 1]
                chip.pixels[d + 2] = image.pixels[s + 2]
            }
        }
        return chip
    }

    /// For each chip pixel, dlib's `interpolate_bilinear` at its mapped position (all four
    /// neighbours must lie inside the source, else black), truncated to 8 bits.
    private static func sampleBilinear(_ src: RGBImage, rows: Int, cols: Int, map: AffineTransform) -> RGBImage {
        var out = [UInt8](repeating: 0, count: rows * cols * 3)
        src.pixels.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows {
                    for c in 0..<cols {
                        let (x, y) = map.apply(Double(c), Double(r))
                        let fx = x.rounded(.down), fy = y.rounded(.down)
                        guard fx >= 0, fy >= 0, fx + 1 < Double(src.width), fy + 1 < Double(src.height) else { continue }
                        let left = Int(fx), top = Int(fy)
                        let lr = x - fx, tb = y - fy
                        let i00 = (top * src.width + left) * 3, i10 = i00 + 3
                        let i01 = i00 + src.width * 3, i11 = i01 + 3
                        let d = (r * cols + c) * 3
                        for ch in 0..<3 {
                            let upper = (1 - lr) * Double(s[i00 + ch]) + lr * Double(s[i10 + ch])
                            let lower = (1 - lr) * Double(s[i01 + ch]) + lr * Double(s[i11 + ch])
                            o[d + ch] = UInt8((1 - tb) * upper + tb * lower)
                        }
                    }
                }
            }
        }
        return RGBImage(width: cols, height: rows, pixels: out)
    }
}
