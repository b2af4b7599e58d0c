import FaceNet
import Foundation

/// The benchmark's images: the original photos, the reference faces (working image + dlib's box)
/// and the 800x533 JPEG, all from the fixture folder.
struct BenchInputs {
    struct Face {
        let png: String
        let image: RGBImage
        let box: FaceBox
        var intBox: [Int] { [box.left, box.top, box.right, box.bottom].map { Int($0.rounded()) } }
    }

    struct MissingFixture: Error, CustomStringConvertible {
        let description: String
    }

    let originals: [[UInt8]]
    let faces: [Face]
    let photoPath: String
    let photoJPEG: [UInt8]

    init(fixtures: String) throws {
        let root = URL(fileURLWithPath: fixtures)
        let files = FileManager.default
        let facesDir = root.appendingPathComponent("faces"), referenceDir = root.appendingPathComponent("reference")
        guard let originalNames = try? files.contentsOfDirectory(atPath: facesDir.path), !originalNames.isEmpty else {
            throw MissingFixture(description: "no images in \(facesDir.path); run from the repository root or pass --fixtures")
        }
        originals = try originalNames.sorted().map { try Self.read(facesDir.appendingPathComponent($0).path) }

        var faces: [Face] = []
        for name in try files.contentsOfDirectory(atPath: referenceDir.path).sorted() where name.hasSuffix(".json") {
            let data = try Data(contentsOf: referenceDir.appendingPathComponent(name))
            guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let landmarks = json["landmarks5"] as? [String: Any],
                  let box = landmarks["box"] as? [Double], box.count == 4,
                  let input = json["input"] as? String else { continue }
            let png = referenceDir.appendingPathComponent(input).path
            let image = try ImageDecoder.decode(try Self.read(png)).image
            faces.append(Face(png: png, image: image, box: FaceBox(left: box[0], top: box[1], right: box[2], bottom: box[3])))
        }
        guard !faces.isEmpty else { throw MissingFixture(description: "no reference faces in \(referenceDir.path)") }
        self.faces = faces

        photoPath = root.appendingPathComponent("bench/two_people_800x533.jpg").standardizedFileURL.path
        photoJPEG = try Self.read(photoPath)
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MissingFixture(description: "cannot read \(path)")
        }
        return [UInt8](data)
    }
}
