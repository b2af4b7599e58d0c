@testable import FaceNet
import XCTest

final class YuNetDecoderTests: XCTestCase {
    private func face(_ x: Float, _ y: Float, _ side: Float, score: Float) -> YuNetFace {
        YuNetFace(x: x, y: y, width: side, height: side, landmarks: Array(repeating: .zero, count: 5), score: score)
    }

    func testSuppressionKeepsTheBestOfOverlappingFacesAndSeparateOnes() {
        let faces = [face(10, 10, 100, score: 0.8), face(12, 11, 100, score: 0.95), face(300, 300, 50, score: 0.7),
                     face(0, 0, 10, score: 0.4)]
        let kept = YuNetDecoder.suppress(faces, scoreThreshold: 0.5, iouThreshold: 0.3, topK: 100)
        XCTAssertEqual(kept.map(\.score), [0.95, 0.7])
    }

    func testDecodingPlacesBoxesAndLandmarksOnTheStrideGrid() {
        // One 2x2 grid at stride 8; only cell (row 1, column 0) scores.
        let cls: [Float] = [0, 0, 0.81, 0], obj: [Float] = [0, 0, 1, 0]
        var boxes = [Float](repeating: 0, count: 16), kps = [Float](repeating: 0, count: 40)
        boxes[8...11] = [0.5, 0.25, 0, log(2)]
        kps[20...21] = [1, 2]
        let faces = cls.withUnsafeBufferPointer { c in obj.withUnsafeBufferPointer { o in
            boxes.withUnsafeBufferPointer { b in kps.withUnsafeBufferPointer { k in
                YuNetDecoder.decode([.init(stride: 8, rows: 2, columns: 2, classScores: c.baseAddress!, objectness: o.baseAddress!,
                                           boxes: b.baseAddress!, landmarks: k.baseAddress!)], scoreThreshold: 0.5)
            } }
        } }
        XCTAssertEqual(faces.count, 1)
        let f = faces[0]
        XCTAssertEqual(f.score, 0.9, accuracy: 1e-6)
        XCTAssertEqual(f.x, 4 - 4, accuracy: 1e-5)          // centre x (0 + 0.5) * 8 = 4, width 8
        XCTAssertEqual(f.y, 10 - 8, accuracy: 1e-5)         // centre y (1 + 0.25) * 8 = 10, height 16
        XCTAssertEqual(f.height, 16, accuracy: 1e-4)
        XCTAssertEqual(f.landmarks[0], SIMD2<Float>(8, 24))
    }
}
