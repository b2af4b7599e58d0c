import FaceNet
import Foundation

/// One image's line in the `eval-embed` cache.
enum EvalImageRecord {
    /// `scale` < 1 finds the faces in the full image, then shrinks it (the shrunk image is then
    /// the original) and takes landmarks and chips there: how descriptors degrade as faces get
    /// smaller than the detector's 80 px window would find.
    static func make(file: String, path: String, pipeline: FacePipeline, jitters: Int, scale: Double,
                     minimumFaceSize: Int, limits: DecodeLimits = .default) throws -> JSONValue {
        let clock = StepClock()
        var decoded = try clock.time("decode") { try ImageDecoder.decode(try ImageFile.read(path), limits: limits) }
        var detections = try clock.time("detect") { try pipeline.detectFaces(decoded.image, minimumFaceSize: minimumFaceSize) }
        if scale < 1 {
            let full = decoded.image
            let small = BilinearResampler.resize(full, width: max(1, Int((Double(full.width) * scale).rounded())),
                                                 height: max(1, Int((Double(full.height) * scale).rounded())))
            decoded = DecodedImage(image: small, originalWidth: small.width, originalHeight: small.height,
                                   format: decoded.format, orientation: decoded.orientation)
            let sx = Double(small.width) / Double(full.width), sy = Double(small.height) / Double(full.height)
            detections = detections.map { FaceDetection(box: $0.box.scaled(x: sx, y: sy), confidence: $0.confidence) }
        }
        let image = decoded.image
        var members: [(String, JSONValue)] = [
            ("file", .string(file)), ("width", .number(Double(decoded.originalWidth))),
            ("height", .number(Double(decoded.originalHeight))),
            ("faces", .array(detections.map { d in
                let b = FacePipeline.originalBox(d.box, decoded)
                return .array([.number(b.left), .number(b.top), .number(b.right), .number(b.bottom), .float(d.confidence)])
            })),
        ]
        guard !detections.isEmpty else {
            members.append(("ms", clock.json))
            return .object(members)
        }
        // LFW's subject is the face in the middle of the picture; the service takes the largest.
        let central = centralIndex(detections, width: image.width, height: image.height)
        members.append(("central", .number(Double(central))))

        let landmarks = clock.time("landmarks") { pipeline.models.shapePredictor.landmarks(in: image, box: detections[central].box) }
        let details = try ChipDetails.face(landmarks: landmarks, size: 150, padding: 0.25)
        let chip = clock.time("chip") { FaceAligner.extract(from: image, details: details) }
        let single = try clock.time("embed") { try pipeline.embedder.embed(chip: chip) }
        let mirror = try clock.time("mirror") { try pipeline.embedder.embed(chip: ChipVariants.mirrored(chip)) }
        let jittered = try clock.time("jitter_each") {
            try (0..<jitters).map { try pipeline.embedder.embed(chip: FaceAligner.extract(from: image, details: ChipVariants.jittered(details, index: $0))) }
        }
        clock.divideLast(by: jitters)
        let original = landmarks.map { p in decoded.originalPoint(x: p.x, y: p.y) }.map { FacePoint(x: $0.x, y: $0.y) }
        let quality = clock.time("quality") {
            FaceQualityMeasure.measure(landmarks: original, chip: chip, imageWidth: decoded.originalWidth,
                                       imageHeight: decoded.originalHeight)
        }
        members += [
            ("landmarks", .array(original.map { .array([.number($0.x), .number($0.y)]) })),
            ("quality", .object([
                ("eye_distance", .number(quality.eyeDistance)), ("roll", .number(quality.rollDegrees)),
                ("yaw", .number(quality.yawDegrees)), ("sharpness", .number(quality.sharpness)),
                ("brightness", .number(quality.brightness)), ("dark", .number(quality.darkFraction)),
                ("bright", .number(quality.brightFraction)), ("outside", .number(quality.outsideFraction)),
            ])),
            ("single", floats(single)), ("mirror", floats(mirror)), ("jitter", .array(jittered.map(floats))),
        ]
        if central != 0 {
            let other = try pipeline.describe(image, box: detections[0].box)
            members.append(("largest_single", floats(other.embedding)))
        }
        members.append(("ms", clock.json))
        return .object(members)
    }

    private static func floats(_ v: [Float]) -> JSONValue { .array(v.map { .float($0) }) }

    /// The face whose box centre is nearest the image centre.
    private static func centralIndex(_ detections: [FaceDetection], width: Int, height: Int) -> Int {
        let cx = Double(width - 1) / 2, cy = Double(height - 1) / 2
        func offset(_ b: FaceBox) -> Double {
            let dx = (b.left + b.right) / 2 - cx, dy = (b.top + b.bottom) / 2 - cy
            return dx * dx + dy * dy
        }
        return detections.indices.min { offset(detections[$0].box) < offset(detections[$1].box) } ?? 0
    }
}

/// Milliseconds per named step, in order.
final class StepClock {
    private var steps: [(name: String, ms: Double)] = []

    func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        steps.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6))
        return result
    }

    /// The last step as a per-item time when it covered `count` items.
    func divideLast(by count: Int) {
        guard count > 0, !steps.isEmpty else { return }
        steps[steps.count - 1].ms /= Double(count)
    }

    var json: JSONValue { .object(steps.map { ($0.name, .number($0.ms)) }) }
}
