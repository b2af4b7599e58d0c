import Foundation

/// Computes `FaceQuality` for one face. Geometry comes from the five landmarks in the original
/// image's frame; pixel statistics from the 150x150 aligned chip (the pixels the descriptor sees).
public enum FaceQualityMeasure {
    /// How far in front of the eyes the bottom of the nose sits, in eye distances: turning the
    /// head by θ moves the nose off the eyes' midline by depth·sin θ while the eyes close up to
    /// distance·cos θ, so yaw = atan(offset / depth). 0.5 is a typical adult face's proportion.
    static let noseDepth = 0.5

    public static func measure(landmarks: [FacePoint], chip: RGBImage, imageWidth: Int, imageHeight: Int) -> FaceQuality {
        let geometry = pose(landmarks)
        let pixels = chipStatistics(chip)
        return FaceQuality(eyeDistance: geometry.eyeDistance, rollDegrees: geometry.roll, yawDegrees: geometry.yaw,
                           sharpness: pixels.sharpness, brightness: pixels.brightness,
                           darkFraction: pixels.dark, brightFraction: pixels.bright,
                           outsideFraction: outsideFraction(landmarks, width: imageWidth, height: imageHeight))
    }

    /// Eye distance, roll and yaw from the 5-point landmarks.
    static func pose(_ p: [FacePoint]) -> (eyeDistance: Double, roll: Double, yaw: Double) {
        guard p.count == 5 else { return (0, 0, 0) }
        // Points 0-1 lie on the image's right in an upright face (dlib's mean face), 2-3 on its left.
        let imageRight = FacePoint(x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2)
        let imageLeft = FacePoint(x: (p[2].x + p[3].x) / 2, y: (p[2].y + p[3].y) / 2)
        let dx = imageRight.x - imageLeft.x, dy = imageRight.y - imageLeft.y
        let distance = (dx * dx + dy * dy).squareRoot()
        guard distance > 0 else { return (0, 0, 0) }
        let roll = atan2(dy, dx) * 180 / .pi
        let mid = FacePoint(x: (imageLeft.x + imageRight.x) / 2, y: (imageLeft.y + imageRight.y) / 2)
        let along = ((p[4].x - mid.x) * dx + (p[4].y - mid.y) * dy) / (distance * distance)
        let yaw = atan(along / noseDepth) * 180 / .pi
        return (distance, roll, yaw)
    }

    /// The chip's central square (the face without the alignment padding), grey levels.
    static func chipStatistics(_ chip: RGBImage) -> (sharpness: Double, brightness: Double, dark: Double, bright: Double) {
        let side = min(chip.width, chip.height)
        // The chip is cut with 25% padding on each side: the face is its middle 1/1.5.
        let inset = side / 6, inner = side - 2 * inset
        guard inner >= 3 else { return (0, 0, 0, 0) }
        var grey = [Double](repeating: 0, count: inner * inner)
        for y in 0..<inner {
            for x in 0..<inner {
                let i = chip.index(x: x + inset, y: y + inset)
                grey[y * inner + x] = 0.299 * Double(chip.pixels[i]) + 0.587 * Double(chip.pixels[i + 1])
                    + 0.114 * Double(chip.pixels[i + 2])
            }
        }
        var sum = 0.0, dark = 0, bright = 0
        for g in grey {
            sum += g
            if g <= 10 { dark += 1 }
            if g >= 245 { bright += 1 }
        }
        let count = Double(grey.count)
        var lapSum = 0.0, lapSquares = 0.0
        for y in 1..<(inner - 1) {
            for x in 1..<(inner - 1) {
                let i = y * inner + x
                let l = grey[i - 1] + grey[i + 1] + grey[i - inner] + grey[i + inner] - 4 * grey[i]
                lapSum += l
                lapSquares += l * l
            }
        }
        let n = Double((inner - 2) * (inner - 2))
        let mean = lapSum / n
        return (lapSquares / n - mean * mean, sum / count, Double(dark) / count, Double(bright) / count)
    }

    /// Samples the face square (the chip region without padding) on a grid and counts the
    /// samples that fall outside the image.
    static func outsideFraction(_ landmarks: [FacePoint], width: Int, height: Int) -> Double {
        guard let square = try? ChipDetails.face(landmarks: landmarks, size: 150, padding: 0) else { return 0 }
        let cx = (square.left + square.right) / 2, cy = (square.top + square.bottom) / 2
        let half = (square.right - square.left) / 2
        let cosA = cos(square.angle), sinA = sin(square.angle)
        let steps = 20
        var outside = 0
        for j in 0..<steps {
            for i in 0..<steps {
                let u = (Double(i) + 0.5) / Double(steps) * 2 - 1, v = (Double(j) + 0.5) / Double(steps) * 2 - 1
                let x = cx + half * (cosA * u - sinA * v), y = cy + half * (sinA * u + cosA * v)
                if x < -0.5 || y < -0.5 || x > Double(width) - 0.5 || y > Double(height) - 0.5 { outside += 1 }
            }
        }
        return Double(outside) / Double(steps * steps)
    }
}
