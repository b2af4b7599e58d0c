/// The parsed 5-point shape predictor (dlib's `shape_predictor`, an ensemble of regression trees
/// in a cascade, Kazemi & Sullivan 2014), flattened for fast evaluation.
///
/// File layout (`shape_predictor_5_face_landmarks.dat`, dlib serialization, see DlibDeserializer):
///   int     version                      must be 1
///   matrix  initial_shape                long rows, long cols (negated in dlib's newer format),
///                                        then rows*cols floats: x0 y0 x1 y1 ... in the box's
///                                        normalized [0,1] square
///   ulong   cascade count C, then per cascade:
///     ulong tree count, then per tree:
///       ulong split count S, then S × (ulong idx1, ulong idx2, float thresh)   heap order
///       ulong leaf count L (= S + 1, a power of two), then L matrices of 2*parts floats
///   ulong   C, then per cascade: ulong count P, then P × ulong anchor index (a shape part)
///   ulong   C, then per cascade: ulong count P, then P × (float dx, float dy)  offsets from the anchor
struct ShapePredictorModel: Sendable {
    let partCount: Int
    /// x0, y0, x1, y1, ... in normalized box coordinates.
    let initialShape: [Float]
    let cascades: [Cascade]

    /// One level of the cascade: the feature pixels it samples and the trees it sums.
    struct Cascade: Sendable {
        /// Per feature pixel: the shape part it hangs from, and its offset in normalized space.
        let anchors: [Int]
        let deltas: [Float]
        /// Splits of all trees, concatenated; tree t owns splits splitStart[t] ..< splitStart[t+1].
        let splitIndex1: [Int32]
        let splitIndex2: [Int32]
        let thresholds: [Float]
        let splitStart: [Int]
        /// Leaf vectors of all trees, concatenated (2*parts floats each); tree t's first leaf is
        /// leafStart[t].
        let leaves: [Float]
        let leafStart: [Int]

        var treeCount: Int { leafStart.count }
    }

    init(partCount: Int, initialShape: [Float], cascades: [Cascade]) {
        self.partCount = partCount
        self.initialShape = initialShape
        self.cascades = cascades
    }

    /// Parses and validates the whole file; any inconsistency is a `DlibModelError`.
    init(bytes: [UInt8]) throws {
        var reader = DlibDeserializer(bytes: bytes)
        let version = try reader.readInt32()
        guard version == 1 else { throw DlibModelError.malformed("shape_predictor version \(version), expected 1", at: 0) }

        let shapeOffset = reader.offset
        let shape = try Self.readColumn(&reader)
        guard shape.count >= 2, shape.count % 2 == 0 else {
            throw DlibModelError.malformed("initial shape has \(shape.count) values", at: shapeOffset)
        }
        let parts = shape.count / 2

        var forests: [(splits: [(Int, Int, Float)], leafStart: [Int], splitStart: [Int], leaves: [Float])] = []
        let cascadeCount = try reader.readCount(limit: reader.remaining)
        for _ in 0..<cascadeCount {
            let treeCount = try reader.readCount(limit: reader.remaining)
            var splits: [(Int, Int, Float)] = []
            var splitStart: [Int] = [], leafStart: [Int] = [], leaves: [Float] = []
            for _ in 0..<treeCount {
                let treeOffset = reader.offset
                splitStart.append(splits.count)
                leafStart.append(leaves.count / (2 * parts))
                let splitCount = try reader.readCount(limit: reader.remaining)
                for _ in 0..<splitCount {
                    let idx1 = try reader.readCount(limit: Int(Int32.max))
                    let idx2 = try reader.readCount(limit: Int(Int32.max))
                    splits.append((idx1, idx2, try reader.readFloat()))
                }
                let leafCount = try reader.readCount(limit: reader.remaining)
                guard leafCount == splitCount + 1, leafCount & (leafCount - 1) == 0 else {
                    throw DlibModelError.malformed("tree with \(splitCount) splits has \(leafCount) leaves", at: treeOffset)
                }
                for _ in 0..<leafCount {
                    let leafOffset = reader.offset
                    let leaf = try Self.readColumn(&reader)
                    guard leaf.count == 2 * parts else {
                        throw DlibModelError.malformed("leaf of \(leaf.count) values for \(parts) parts", at: leafOffset)
                    }
                    leaves.append(contentsOf: leaf)
                }
            }
            splitStart.append(splits.count)
            forests.append((splits, leafStart, splitStart, leaves))
        }

        let anchorOffset = reader.offset
        let anchorLists = try Self.readNested(&reader) { r in try r.readCount(limit: Int(Int32.max)) }
        let deltaOffset = reader.offset
        let deltaLists = try Self.readNested(&reader) { r in [try r.readFloat(), try r.readFloat()] }
        guard anchorLists.count == cascadeCount else {
            throw DlibModelError.malformed("\(anchorLists.count) anchor lists for \(cascadeCount) cascades", at: anchorOffset)
        }
        guard deltaLists.count == cascadeCount else {
            throw DlibModelError.malformed("\(deltaLists.count) delta lists for \(cascadeCount) cascades", at: deltaOffset)
        }

        var cascades: [Cascade] = []
        for c in 0..<cascadeCount {
            let anchors = anchorLists[c], deltas = deltaLists[c].flatMap { $0 }
            guard deltas.count == 2 * anchors.count, anchors.allSatisfy({ $0 < parts }) else {
                throw DlibModelError.malformed("cascade \(c): anchors do not fit its \(parts)-part shape or its deltas", at: anchorOffset)
            }
            let forest = forests[c]
            let pixelCount = anchors.count
            for (i, split) in forest.splits.enumerated() where split.0 >= pixelCount || split.1 >= pixelCount {
                throw DlibModelError.malformed("cascade \(c) split \(i) samples pixel \(max(split.0, split.1)) of \(pixelCount)", at: anchorOffset)
            }
            cascades.append(Cascade(
                anchors: anchors, deltas: deltas,
                splitIndex1: forest.splits.map { Int32($0.0) }, splitIndex2: forest.splits.map { Int32($0.1) },
                thresholds: forest.splits.map { $0.2 }, splitStart: forest.splitStart,
                leaves: forest.leaves, leafStart: forest.leafStart))
        }
        self.init(partCount: parts, initialShape: shape, cascades: cascades)
    }

    /// A `matrix<float,0,1>` (or 1-row) as its flat values.
    private static func readColumn(_ reader: inout DlibDeserializer) throws -> [Float] {
        let start = reader.offset
        let rows = abs(try reader.readInt()), cols = abs(try reader.readInt())
        guard rows <= Int64(reader.remaining), cols <= Int64(reader.remaining),
              rows * cols <= Int64(reader.remaining), rows == 1 || cols == 1 || rows * cols == 0 else {
            throw DlibModelError.malformed("matrix of \(rows)x\(cols) is not a vector that fits the file", at: start)
        }
        var values: [Float] = []
        values.reserveCapacity(Int(rows * cols))
        for _ in 0..<(rows * cols) { values.append(try reader.readFloat()) }
        return values
    }

    /// A `std::vector<std::vector<T>>`.
    private static func readNested<T>(_ reader: inout DlibDeserializer,
                                      _ element: (inout DlibDeserializer) throws -> T) throws -> [[T]] {
        let outer = try reader.readCount(limit: reader.remaining)
        var lists: [[T]] = []
        for _ in 0..<outer {
            let inner = try reader.readCount(limit: reader.remaining)
            var list: [T] = []
            list.reserveCapacity(inner)
            for _ in 0..<inner { list.append(try element(&reader)) }
            lists.append(list)
        }
        return lists
    }
}
