/// dlib's `test_box_overlap`: two boxes overlap when their intersection covers more than
/// `iouThreshold` of the smallest rectangle enclosing both (dlib's `a + b`, not the true union),
/// or more than `percentCoveredThreshold` of either box.
struct BoxOverlapTest: Sendable, Equatable {
    let iouThreshold: Double
    let percentCoveredThreshold: Double

    init(iouThreshold: Double = 0.5, percentCoveredThreshold: Double = 1.0) {
        self.iouThreshold = iouThreshold
        self.percentCoveredThreshold = percentCoveredThreshold
    }

    func overlaps(_ a: PixelRect, _ b: PixelRect) -> Bool {
        let inner = Double(a.intersection(b).area)
        if inner == 0 { return false }
        let outer = Double(a.enclosing(b).area)
        return inner / outer > iouThreshold
            || inner / Double(a.area) > percentCoveredThreshold
            || inner / Double(b.area) > percentCoveredThreshold
    }

    /// Two doubles: the IoU threshold, then the percent-covered threshold, each in [0, 1].
    static func read(from reader: inout DlibDeserializer) throws -> BoxOverlapTest {
        let start = reader.offset
        let iou = try reader.readDouble()
        let covered = try reader.readDouble()
        guard (0...1).contains(iou), (0...1).contains(covered) else {
            throw DlibModelError.malformed("box overlap thresholds \(iou), \(covered) outside [0, 1]", at: start)
        }
        return BoxOverlapTest(iouThreshold: iou, percentCoveredThreshold: covered)
    }
}
