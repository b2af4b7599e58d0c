#if canImport(Glibc)
import Glibc
#endif

/// Turns YuNet's per-stride outputs into faces, as OpenCV's FaceDetectorYN does: prior-free
/// decoding on each stride's grid (8, 16, 32), then non-maximum suppression on integer boxes.
///
/// For grid cell (row r, column c) of stride s: score = sqrt(clamp(cls) * clamp(obj));
/// centre = ((c, r) + bbox[0...1]) * s; size = exp(bbox[2...3]) * s; landmark k =
/// ((c, r) + kps[2k...2k+1]) * s.
enum YuNetDecoder {
    struct StrideOutput {
        var stride: Int
        var rows: Int
        var columns: Int
        var classScores: UnsafePointer<Float>
        var objectness: UnsafePointer<Float>
        var boxes: UnsafePointer<Float>
        var landmarks: UnsafePointer<Float>
    }

    static func decode(_ outputs: [StrideOutput], scoreThreshold: Float) -> [YuNetFace] {
        var faces: [YuNetFace] = []
        for o in outputs {
            let s = Float(o.stride)
            for r in 0..<o.rows {
                for c in 0..<o.columns {
                    let i = r * o.columns + c
                    let score = (min(max(o.classScores[i], 0), 1) * min(max(o.objectness[i], 0), 1)).squareRoot()
                    guard score >= scoreThreshold else { continue }
                    let b = o.boxes + i * 4
                    let cx = (Float(c) + b[0]) * s, cy = (Float(r) + b[1]) * s
                    let w = expf(b[2]) * s, h = expf(b[3]) * s
                    let k = o.landmarks + i * 10
                    let points = (0..<5).map { n in
                        SIMD2<Float>((k[2 * n] + Float(c)) * s, (k[2 * n + 1] + Float(r)) * s)
                    }
                    faces.append(YuNetFace(x: cx - w / 2, y: cy - h / 2, width: w, height: h, landmarks: points, score: score))
                }
            }
        }
        return faces
    }

    /// OpenCV's NMSBoxes on the boxes truncated to integers: candidates above the threshold by
    /// descending score (stable), at most `topK`; a candidate is kept unless its IoU with a kept
    /// face exceeds `iouThreshold`.
    static func suppress(_ faces: [YuNetFace], scoreThreshold: Float, iouThreshold: Float, topK: Int) -> [YuNetFace] {
        let order = faces.indices.filter { faces[$0].score > scoreThreshold }
            .enumerated().sorted { a, b in
                faces[a.element].score != faces[b.element].score ? faces[a.element].score > faces[b.element].score : a.offset < b.offset
            }
            .prefix(topK).map(\.element)
        let boxes = faces.map { IntegerBox(x: Int($0.x), y: Int($0.y), width: Int($0.width), height: Int($0.height)) }
        var kept: [Int] = []
        for candidate in order where kept.allSatisfy({ boxes[candidate].iou(boxes[$0]) <= Double(iouThreshold) }) {
            kept.append(candidate)
        }
        return kept.map { faces[$0] }
    }

    private struct IntegerBox {
        var x, y, width, height: Int
        var area: Int { width * height }

        func iou(_ o: IntegerBox) -> Double {
            let x1 = max(x, o.x), y1 = max(y, o.y)
            let x2 = min(x + width, o.x + o.width), y2 = min(y + height, o.y + o.height)
            let intersection = x2 > x1 && y2 > y1 ? Double((x2 - x1) * (y2 - y1)) : 0
            let total = Double(area + o.area)
            guard total > 0 else { return 1 }
            return intersection / (total - intersection)
        }
    }
}
