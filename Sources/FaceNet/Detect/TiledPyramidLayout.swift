/// Where dlib's `input_rgb_image_pyramid<pyramid_down<6>>` puts each pyramid level of an image
/// inside one tiled image (compute_tiled_image_pyramid_details in dlib/image_transforms/image_pyramid.h),
/// and how a rectangle found in the tiled image maps back to the image.
///
/// Level k+1 is floor(5/6 of level k) in each dimension; levels stop before one is under 5 rows.
/// The levels run down a first column below the full-size image, then double back up a second
/// column at the right edge; `padding` zero pixels separate levels and `outerPadding` surrounds all.
/// `firstLevel` > 0 describes the tiling dlib would build for the image already shrunk that many
/// times (used to skip fine levels); coordinates still map back to the original image.
struct TiledPyramidLayout: Sendable, Equatable {
    let width: Int
    let height: Int
    /// The rectangle of each level inside the tiled image, finest first.
    let levels: [PixelRect]
    let firstLevel: Int
    /// `levels` ordered by left edge (for walking a row of the tiled image left to right).
    let levelsByLeft: [PixelRect]

    init(imageWidth: Int, imageHeight: Int, padding: Int, outerPadding: Int, firstLevel: Int = 0) {
        var columns = max(imageWidth, 0)
        var rows = max(imageHeight, 0)
        for _ in 0..<firstLevel { (columns, rows) = (Self.downsampled(columns), Self.downsampled(rows)) }
        self.firstLevel = firstLevel
        guard columns * rows > 0 else {
            (width, height, levels, levelsByLeft) = (0, 0, [], [])
            return
        }
        let minimumRows = 5
        var sizes = [(columns, rows)]
        while true {
            (columns, rows) = (Self.downsampled(columns), Self.downsampled(rows))
            if columns * rows == 0 || rows < minimumRows { break }
            sizes.append((columns, rows))
        }
        let (fullWidth, fullHeight) = sizes[0]

        // How far the first column goes: until the next level fits beside the previous one and
        // the first column is at least half of the remaining height.
        let totalHeight = sizes.reduce(0) { $0 + $1.1 + padding } - 2 * padding
        var columnHeight = 0
        var previousWidth = 0
        for (w, h) in sizes {
            if w <= fullWidth - previousWidth - padding && (columnHeight - fullHeight) * 2 >= totalHeight - fullHeight {
                break
            }
            columnHeight += h + padding
            previousWidth = w
        }
        columnHeight -= padding
        width = fullWidth + 2 * outerPadding
        height = columnHeight + 2 * outerPadding

        var placed: [PixelRect] = []
        var y = outerPadding
        while y < columnHeight + outerPadding && placed.count < sizes.count {
            let (w, h) = sizes[placed.count]
            placed.append(PixelRect(left: outerPadding, top: y, right: outerPadding + w - 1, bottom: y + h - 1))
            y += h + padding
        }
        y -= padding
        while placed.count < sizes.count {
            let (w, h) = sizes[placed.count]
            let right = outerPadding + fullWidth - 1
            let rect = PixelRect(left: right - (w - 1), top: y - 1 - (h - 1), right: right, bottom: y - 1)
            // Stop rather than overlap the full-size image at the end of the second column.
            if !placed[0].intersection(rect).isEmpty { break }
            placed.append(rect)
            y -= h + padding
        }
        levels = placed
        levelsByLeft = placed.sorted { $0.left < $1.left }
    }

    /// pyramid_down<6>'s output size: floor(5/6 * size), computed as dlib does in double.
    static func downsampled(_ size: Int) -> Int {
        Int((Double(6 - 1) / 6 * Double(size)).rounded(.down))
    }

    /// pyramid_down<6>::point_up applied `levels` times: p * 6/5 + 0.3 each.
    static func pointUp(_ p: Double, levels: Int) -> Double {
        var value = p
        for _ in 0..<levels { value = value * (6 / (6 - 1.0)) + 0.3 }
        return value
    }

    /// pyramid_down<6>::point_down applied `levels` times: (p - 0.3) * 5/6 each.
    static func pointDown(_ p: Double, levels: Int) -> Double {
        var value = p
        for _ in 0..<levels { value = (value - 0.3) * ((6 - 1.0) / 6) }
        return value
    }

    /// tiled_pyramid_to_image: the level whose rectangle is nearest the box's (rounded) centre,
    /// then that level's coordinates scaled up to the original image.
    func tiledToImage(_ box: FaceBox) -> FaceBox {
        guard !levels.isEmpty else { return box }
        let cx = Int(((box.left + box.right) / 2 + 0.5).rounded(.down))
        let cy = Int(((box.top + box.bottom) / 2 + 0.5).rounded(.down))
        let index = nearestLevel(x: cx, y: cy)
        let origin = levels[index]
        let up = index + firstLevel
        return FaceBox(
            left: Self.pointUp(box.left - Double(origin.left), levels: up),
            top: Self.pointUp(box.top - Double(origin.top), levels: up),
            right: Self.pointUp(box.right - Double(origin.left), levels: up),
            bottom: Self.pointUp(box.bottom - Double(origin.top), levels: up))
    }

    /// image_to_tiled_pyramid for a given level: where an image point lies in the tiled image.
    func imageToTiled(x: Double, y: Double, level: Int) -> (x: Double, y: Double)? {
        let index = level - firstLevel
        guard levels.indices.contains(index) else { return nil }
        return (Double(levels[index].left) + Self.pointDown(x, levels: level),
                Double(levels[index].top) + Self.pointDown(y, levels: level))
    }

    /// dlib's nearest_rect: the first level containing the point, else the closest one.
    func nearestLevel(x: Int, y: Int) -> Int {
        var best = 0
        var bestDistance = Double.infinity
        for (index, rect) in levels.enumerated() {
            if rect.contains(x: x, y: y) { return index }
            let dx = Double(min(max(x, rect.left), rect.right) - x)
            let dy = Double(min(max(y, rect.top), rect.bottom) - y)
            let distance = (dx * dx + dy * dy).squareRoot()
            if distance < bestDistance {
                bestDistance = distance
                best = index
            }
        }
        return best
    }
}
