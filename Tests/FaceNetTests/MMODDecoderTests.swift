import XCTest
@testable import FaceNet

final class MMODDecoderTests: XCTestCase {
    private let options = MMODOptions(detectorWindows: [.init(width: 80, height: 80, label: "")],
                                      overlapsNMS: BoxOverlapTest(iouThreshold: 0.4, percentCoveredThreshold: 1))

    private func rect(_ l: Int, _ t: Int, _ r: Int, _ b: Int) -> PixelRect { PixelRect(left: l, top: t, right: r, bottom: b) }

    func testOverlapUsesTheEnclosingRectangleAndCoverage() {
        let test = BoxOverlapTest(iouThreshold: 0.4, percentCoveredThreshold: 1)
        // 10x10 boxes shifted by 5: intersection 50, enclosing 15x10 = 150 -> 0.333, not above 0.4
        // (the true IoU 50/150 happens to equal it here); shifted by 3: 70/130 = 0.54.
        XCTAssertFalse(test.overlaps(rect(0, 0, 9, 9), rect(5, 0, 14, 9)))
        XCTAssertTrue(test.overlaps(rect(0, 0, 9, 9), rect(3, 0, 12, 9)))
        // Diagonal shift by 4: intersection 36, true union 164 (IoU 0.22) but enclosing 14x14 = 196 -> 0.18.
        XCTAssertFalse(test.overlaps(rect(0, 0, 9, 9), rect(4, 4, 13, 13)))
        // A box inside a much larger one: low IoU, but fully covered; dlib's > 1 test never fires.
        XCTAssertFalse(test.overlaps(rect(0, 0, 99, 99), rect(10, 10, 19, 19)))
        XCTAssertTrue(BoxOverlapTest(iouThreshold: 0.4, percentCoveredThreshold: 0.9).overlaps(rect(0, 0, 99, 99), rect(10, 10, 19, 19)))
        XCTAssertFalse(test.overlaps(rect(0, 0, 9, 9), rect(10, 0, 19, 9)))
    }

    func testNonMaxSuppressionKeepsTheBestOfEachCluster() {
        let decoder = MMODDecoder(options: options, layers: [])
        let kept = decoder.suppressNonMaxima([
            .init(rect: rect(0, 0, 79, 79), score: 2.0),
            .init(rect: rect(8, 0, 87, 79), score: 1.5),       // overlaps the first: dropped
            .init(rect: rect(200, 0, 279, 79), score: 1.0),
            .init(rect: rect(60, 0, 139, 79), score: 0.8),     // overlaps the first by 20/140: kept
        ])
        XCTAssertEqual(kept.map(\.score), [2.0, 1.0, 0.8])
    }

    func testDecodeMapsPositionsThroughTheStrideAndSortsLargestFirst() throws {
        let model = try DetectorModel(bytes: DetectTestSupport.detectorModelBytes())
        let decoder = MMODDecoder(options: model.options, layers: model.layers)
        XCTAssertEqual(decoder.scale, 8)
        XCTAssertEqual(decoder.offset, 14)  // ((0*2+2)*2+2)*2+2 through the three stride-2 layers
        let layout = TiledPyramidLayout(imageWidth: 800, imageHeight: 533, padding: 10, outerPadding: 11)
        let rows = 30, columns = 100
        var map = [Float](repeating: -1, count: rows * columns)
        map[2 * columns + 3] = 0.5        // level 0: centre (38, 30) in the tiled image
        map[3 * columns + 3] = 0.7        // centre (38, 38): overlaps the first, wins
        map[2 * columns + 40] = 0         // not above the threshold
        map[10 * columns + 20] = 0.2      // separate face
        let found = map.withUnsafeBufferPointer {
            decoder.decode(maps: $0.baseAddress!, rows: rows, columns: columns, rowStride: columns,
                           mapStride: rows * columns, layout: layout)
        }
        XCTAssertEqual(found.count, 2)
        // 3*8+14 -/+ 39.5, minus level 0's origin 11: -12.5 ... 66.5, rounded half up.
        XCTAssertEqual(found[0].box, FaceBox(left: -12, top: -12, right: 67, bottom: 67))
        XCTAssertEqual(found[0].confidence, 0.7)
        XCTAssertEqual(found[1].confidence, 0.2)
    }

    func testLargestFirstOrdersByAreaThenScore() {
        let small = FaceDetection(box: FaceBox(left: 0, top: 0, right: 9, bottom: 9), confidence: 3)
        let large = FaceDetection(box: FaceBox(left: 0, top: 0, right: 19, bottom: 19), confidence: 1)
        let large2 = FaceDetection(box: FaceBox(left: 50, top: 0, right: 69, bottom: 19), confidence: 0.5)
        XCTAssertEqual(MMODDecoder.largestFirst([small, large, large2]), [large, large2, small])
    }
}
