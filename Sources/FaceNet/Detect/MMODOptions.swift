/// The settings dlib's MMOD loss layer (`loss_mmod_`) stores next to the network: the sliding
/// detector windows and the box-overlap rules used by non-max suppression.
struct MMODOptions: Sendable, Equatable {
    struct DetectorWindow: Sendable, Equatable {
        let width: Int
        let height: Int
        let label: String
    }

    let detectorWindows: [DetectorWindow]
    let lossPerFalseAlarm: Double
    let lossPerMissedTarget: Double
    let truthMatchIOUThreshold: Double
    /// Two detections closer than this are duplicates; the lower-scoring one is dropped.
    let overlapsNMS: BoxOverlapTest
    let overlapsIgnore: BoxOverlapTest
    let assumeImagePyramid: Bool
    let useBoundingBoxRegression: Bool
    let bbrLambda: Double

    init(
        detectorWindows: [DetectorWindow], lossPerFalseAlarm: Double = 1, lossPerMissedTarget: Double = 1,
        truthMatchIOUThreshold: Double = 0.5, overlapsNMS: BoxOverlapTest = BoxOverlapTest(iouThreshold: 0.4),
        overlapsIgnore: BoxOverlapTest = BoxOverlapTest(), assumeImagePyramid: Bool = true,
        useBoundingBoxRegression: Bool = false, bbrLambda: Double = 100
    ) {
        self.detectorWindows = detectorWindows
        self.lossPerFalseAlarm = lossPerFalseAlarm
        self.lossPerMissedTarget = lossPerMissedTarget
        self.truthMatchIOUThreshold = truthMatchIOUThreshold
        self.overlapsNMS = overlapsNMS
        self.overlapsIgnore = overlapsIgnore
        self.assumeImagePyramid = assumeImagePyramid
        self.useBoundingBoxRegression = useBoundingBoxRegression
        self.bbrLambda = bbrLambda
    }
}

extension MMODOptions {
    /// Reads `mmod_options` (versions 1 to 4) as dlib/dnn/loss.h writes them:
    /// int version; v1: ulong width, ulong height / v2+: vector<detector_window_details>
    /// (ulong count, then per window: int version 1|2, ulong width, ulong height, v2: string label);
    /// double loss_per_false_alarm, loss_per_missed_target, truth_match_iou_threshold;
    /// test_box_overlap overlaps_nms, overlaps_ignore (two doubles each);
    /// v3+: uint8 assume_image_pyramid; v4+: bool use_bounding_box_regression, double bbr_lambda.
    static func read(from reader: inout DlibDeserializer) throws -> MMODOptions {
        let start = reader.offset
        let version = try reader.readInt32()
        guard (1...4).contains(version) else {
            throw DlibModelError.malformed("mmod_options version \(version)", at: start)
        }
        var windows: [DetectorWindow] = []
        if version == 1 {
            windows.append(DetectorWindow(width: try readSize(&reader), height: try readSize(&reader), label: ""))
        } else {
            let count = try reader.readCount(limit: 64)
            for _ in 0..<count {
                let windowStart = reader.offset
                let windowVersion = try reader.readInt32()
                guard windowVersion == 1 || windowVersion == 2 else {
                    throw DlibModelError.malformed("detector window version \(windowVersion)", at: windowStart)
                }
                let width = try readSize(&reader)
                let height = try readSize(&reader)
                let label = windowVersion == 2 ? try reader.readString(limit: 1024) : ""
                windows.append(DetectorWindow(width: width, height: height, label: label))
            }
        }
        guard !windows.isEmpty else { throw DlibModelError.malformed("mmod_options without detector windows", at: start) }
        let lossPerFalseAlarm = try reader.readDouble()
        let lossPerMissedTarget = try reader.readDouble()
        let truthMatch = try reader.readDouble()
        let nms = try BoxOverlapTest.read(from: &reader)
        let ignore = try BoxOverlapTest.read(from: &reader)
        var assumePyramid = true
        if version >= 3 {
            let flagStart = reader.offset
            let flag = try reader.readUInt()
            guard flag <= 1 else { throw DlibModelError.malformed("assume_image_pyramid \(flag)", at: flagStart) }
            assumePyramid = flag == 1
        }
        var bbr = false
        var bbrLambda = 100.0
        if version >= 4 {
            bbr = try reader.readBool()
            bbrLambda = try reader.readDouble()
        }
        return MMODOptions(
            detectorWindows: windows, lossPerFalseAlarm: lossPerFalseAlarm, lossPerMissedTarget: lossPerMissedTarget,
            truthMatchIOUThreshold: truthMatch, overlapsNMS: nms, overlapsIgnore: ignore,
            assumeImagePyramid: assumePyramid, useBoundingBoxRegression: bbr, bbrLambda: bbrLambda)
    }

    private static func readSize(_ reader: inout DlibDeserializer) throws -> Int {
        let start = reader.offset
        let value = try reader.readCount(limit: 100_000)
        guard value > 0 else { throw DlibModelError.malformed("detector window size 0", at: start) }
        return value
    }
}
