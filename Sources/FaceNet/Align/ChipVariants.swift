import Foundation

/// Other views of an aligned face for test-time augmentation: its mirror image, and chips cut
/// with small perturbations of the alignment (as dlib's `jitter_image`: rotation up to ±3°,
/// shift up to ±2% of the face, scale 97-100%), drawn from a fixed seed so descriptors repeat.
public enum ChipVariants {
    /// The chip flipped left to right.
    public static func mirrored(_ chip: RGBImage) -> RGBImage {
        var out = chip
        for y in 0..<chip.height {
            for x in 0..<chip.width {
                let s = chip.index(x: chip.width - 1 - x, y: y), d = chip.index(x: x, y: y)
                out.pixels[d] = chip.pixels[s]
                out.pixels[d + 1] = chip.pixels[s + 1]
                out.pixels[d + 2] = chip.pixels[s + 2]
            }
        }
        return out
    }

    /// The `index`-th perturbation of `details` (index 0 is the first jitter, not the original).
    public static func jittered(_ details: ChipDetails, index: Int) -> ChipDetails {
        var random = SplitMix64(seed: 0x6a69_7474_6572 &+ UInt64(index))
        let side = details.right - details.left
        let angle = random.uniform(-3, 3) * .pi / 180
        let dx = random.uniform(-0.02, 0.02) * side, dy = random.uniform(-0.02, 0.02) * side
        let scale = 1 / random.uniform(0.97, 1.0)
        let cx = (details.left + details.right) / 2 + dx, cy = (details.top + details.bottom) / 2 + dy
        let half = side * scale / 2
        return ChipDetails(left: cx - half, top: cy - half, right: cx + half, bottom: cy + half,
                           angle: details.angle + angle, rows: details.rows, cols: details.cols)
    }
}

/// A small, fixed-seed generator (SplitMix64), so jittered descriptors are reproducible.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }
}
