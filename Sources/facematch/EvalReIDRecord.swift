import FaceNet
import Foundation

/// One image's line in the `eval-embed --model face-reidentification-retail-0095` cache: YuNet's
/// faces, and the 0095 embeddings (the aligned crop's and its mirror's) of the face nearest the
/// image centre, with the time each step took. Same keys as `EvalImageRecord` where they mean
/// the same; no quality measures or jitters (those are measured for dlib's chip).
enum EvalReIDRecord {
    /// `limits.maxWorkingSide` bounds the longer side of the decoded image, as the service's
    /// working size does (LFW's 250 px images shrunk to 200 px stand for an 800 px photo taken at 640).
    static func make(file: String, path: String, pipeline: ReIDPipeline, limits: DecodeLimits) throws -> JSONValue {
        let clock = StepClock()
        let decoded = try clock.time("decode") { try ImageDecoder.decode(try ImageFile.read(path), limits: limits) }
        let image = decoded.image
        let faces = try clock.time("detect") { try pipeline.detector.detect(image) }
        func original(_ p: SIMD2<Float>) -> JSONValue {
            let o = decoded.originalPoint(x: Double(p.x), y: Double(p.y))
            return .array([.number(o.x), .number(o.y)])
        }
        var members: [(String, JSONValue)] = [
            ("file", .string(file)), ("width", .number(Double(decoded.originalWidth))),
            ("height", .number(Double(decoded.originalHeight))),
            ("working", .array([.number(Double(image.width)), .number(Double(image.height))])),
            ("faces", .array(faces.map { f in
                let a = decoded.originalPoint(x: Double(f.x), y: Double(f.y))
                let b = decoded.originalPoint(x: Double(f.x + f.width), y: Double(f.y + f.height))
                return .array([.number(a.x), .number(a.y), .number(b.x), .number(b.y), .float(f.score)])
            })),
        ]
        guard !faces.isEmpty else {
            members.append(("ms", clock.json))
            return .object(members)
        }
        let central = centralIndex(faces, width: image.width, height: image.height)
        let largest = faces.indices.max { faces[$0].area < faces[$1].area }!
        members.append(("central", .number(Double(central))))
        members.append(("landmarks", .array(faces[central].landmarks.map(original))))
        guard let crop = clock.time("align", { SimilarityAlignment.crop(image, landmarks: faces[central].landmarks) }) else {
            members.append(("ms", clock.json))
            return .object(members)
        }
        let single = try clock.time("embed") { try pipeline.embedder.embed(crop: crop) }
        let mirror = try clock.time("mirror") { try pipeline.embedder.embed(crop: ChipVariants.mirrored(crop)) }
        members += [("single", floats(single)), ("mirror", floats(mirror))]
        if largest != central, let other = SimilarityAlignment.crop(image, landmarks: faces[largest].landmarks) {
            members.append(("largest_single", floats(try pipeline.embedder.embed(crop: other))))
        }
        members.append(("ms", clock.json))
        return .object(members)
    }

    private static func floats(_ v: [Float]) -> JSONValue { .array(v.map { .float($0) }) }

    /// The face whose box centre is nearest the image centre.
    private static func centralIndex(_ faces: [YuNetFace], width: Int, height: Int) -> Int {
        let cx = Float(width) / 2, cy = Float(height) / 2
        func offset(_ f: YuNetFace) -> Float {
            let dx = f.x + f.width / 2 - cx, dy = f.y + f.height / 2 - cy
            return dx * dx + dy * dy
        }
        return faces.indices.min { offset(faces[$0]) < offset(faces[$1]) } ?? 0
    }
}
