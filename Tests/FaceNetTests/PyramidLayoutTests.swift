import XCTest
@testable import FaceNet

final class PyramidLayoutTests: XCTestCase {
    private func rects(_ layout: TiledPyramidLayout) -> [[Int]] {
        layout.levels.map { [$0.left, $0.top, $0.right, $0.bottom] }
    }

    /// Expected values printed by dlib 19.24's impl::compute_tiled_image_pyramid_details
    /// (pyramid_down<6>, padding 10, outer padding 11).
    func testLayoutMatchesDlibFor800x533() {
        let layout = TiledPyramidLayout(imageWidth: 800, imageHeight: 533, padding: 10, outerPadding: 11)
        XCTAssertEqual(layout.width, 822)
        XCTAssertEqual(layout.height, 1973)
        XCTAssertEqual(rects(layout), [
            [11, 11, 810, 543], [11, 554, 676, 997], [11, 1008, 565, 1377], [11, 1388, 472, 1695], [11, 1706, 395, 1961],
            [491, 1749, 810, 1961], [545, 1562, 810, 1738], [590, 1405, 810, 1551], [627, 1273, 810, 1394],
            [658, 1162, 810, 1262], [684, 1068, 810, 1151], [706, 988, 810, 1057], [724, 920, 810, 977],
            [739, 862, 810, 909], [751, 812, 810, 851], [761, 769, 810, 801], [770, 732, 810, 758], [777, 700, 810, 721],
            [783, 672, 810, 689], [788, 647, 810, 661], [792, 625, 810, 636], [796, 605, 810, 614], [799, 587, 810, 594],
            [801, 571, 810, 576], [803, 556, 810, 560],
        ])
    }

    func testLayoutMatchesDlibForSmallWideAndTallImages() {
        let square = TiledPyramidLayout(imageWidth: 100, imageHeight: 100, padding: 10, outerPadding: 11)
        XCTAssertEqual([square.width, square.height], [122, 418])
        XCTAssertEqual(rects(square), [
            [11, 11, 110, 110], [11, 121, 93, 203], [11, 214, 79, 282], [11, 293, 67, 349], [11, 360, 57, 406],
            [72, 368, 110, 406], [79, 326, 110, 357], [85, 290, 110, 315], [90, 259, 110, 279], [94, 232, 110, 248],
            [97, 208, 110, 221], [100, 187, 110, 197], [102, 168, 110, 176], [104, 151, 110, 157], [106, 136, 110, 140],
        ])
        let wide = TiledPyramidLayout(imageWidth: 300, imageHeight: 40, padding: 10, outerPadding: 11)
        XCTAssertEqual([wide.width, wide.height], [322, 202])
        XCTAssertEqual(rects(wide), [
            [11, 11, 310, 50], [11, 61, 260, 93], [11, 104, 218, 130], [11, 141, 183, 162], [11, 173, 154, 190],
            [191, 176, 310, 190], [211, 154, 310, 165], [228, 134, 310, 143], [242, 116, 310, 123], [254, 100, 310, 105],
            [264, 85, 310, 89],
        ])
        // The second column stops before it would reach the full-size image.
        let tall = TiledPyramidLayout(imageWidth: 40, imageHeight: 300, padding: 10, outerPadding: 11)
        XCTAssertEqual([tall.width, tall.height], [62, 1267])
        XCTAssertEqual(tall.levels.count, 15)
        XCTAssertEqual(rects(tall).last, [50, 702, 50, 722])
    }

    func testEmptyImageHasNoLevels() {
        let layout = TiledPyramidLayout(imageWidth: 0, imageHeight: 10, padding: 10, outerPadding: 11)
        XCTAssertEqual(layout.levels, [])
        XCTAssertEqual([layout.width, layout.height], [0, 0])
    }

    func testLevelSizesShrinkBySixthsRoundedDown() {
        XCTAssertEqual(TiledPyramidLayout.downsampled(800), 666)
        XCTAssertEqual(TiledPyramidLayout.downsampled(6), 5)
        XCTAssertEqual(TiledPyramidLayout.downsampled(5), 4)
        let layout = TiledPyramidLayout(imageWidth: 800, imageHeight: 533, padding: 10, outerPadding: 11)
        for (a, b) in zip(layout.levels, layout.levels.dropFirst()) {
            XCTAssertEqual(b.width, TiledPyramidLayout.downsampled(a.width))
            XCTAssertEqual(b.height, TiledPyramidLayout.downsampled(a.height))
        }
    }

    func testPointsRoundTripBetweenImageAndTiledPyramid() {
        let layout = TiledPyramidLayout(imageWidth: 800, imageHeight: 533, padding: 10, outerPadding: 11)
        for level in [0, 1, 4, 5, 12] {
            guard let tiled = layout.imageToTiled(x: 400, y: 250, level: level) else { return XCTFail("level \(level)") }
            let box = FaceBox(left: tiled.x, top: tiled.y, right: tiled.x, bottom: tiled.y)
            let back = layout.tiledToImage(box)
            XCTAssertEqual(back.left, 400, accuracy: 1e-9 + 0.6 * pow(1.2, Double(level)), "level \(level)")
            XCTAssertEqual(back.top, 250, accuracy: 1e-9 + 0.6 * pow(1.2, Double(level)), "level \(level)")
        }
        // A box at level 2's origin maps to pyramid_down<6>::point_up applied twice.
        let level2 = layout.levels[2]
        let up = layout.tiledToImage(FaceBox(left: Double(level2.left), top: Double(level2.top),
                                             right: Double(level2.left + 10), bottom: Double(level2.top + 10)))
        XCTAssertEqual(up.left, 0.3 * 1.2 + 0.3, accuracy: 1e-12)
        XCTAssertEqual(up.right, (10 * 1.2 + 0.3) * 1.2 + 0.3, accuracy: 1e-12)
    }

    func testSkippingLevelsKeepsTheCoarserLevelsAndTheirImageCoordinates() {
        let full = TiledPyramidLayout(imageWidth: 800, imageHeight: 533, padding: 10, outerPadding: 11)
        let skipped = TiledPyramidLayout(imageWidth: 800, imageHeight: 533, padding: 10, outerPadding: 11, firstLevel: 2)
        // The same levels from the third on (the tiling may leave out the tiniest, 8 px wide, one).
        XCTAssertGreaterThanOrEqual(skipped.levels.count, full.levels.count - 3)
        XCTAssertEqual(skipped.levels.map(\.width), Array(full.levels.dropFirst(2).map(\.width).prefix(skipped.levels.count)))
        XCTAssertLessThan(skipped.width * skipped.height, full.width * full.height / 2)
        let fullLevel = full.levels[3]
        let skippedLevel = skipped.levels[1]
        let box = { (r: PixelRect) in FaceBox(left: Double(r.left + 5), top: Double(r.top + 7), right: Double(r.left + 84), bottom: Double(r.top + 86)) }
        XCTAssertEqual(full.tiledToImage(box(fullLevel)), skipped.tiledToImage(box(skippedLevel)))
    }
}
