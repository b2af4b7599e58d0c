/// Runs dlib's CNN face detector on images: builds dlib's tiled image pyramid, runs the network
/// and decodes faces exactly as `dlib.cnn_face_detection_model_v1(path)(image, 0)` does.
///
/// Owns its oneDNN primitives (one plan per input-shape bucket) and one arena for all buffers;
/// use an instance from one thread at a time (give each worker its own).
public final class FaceDetector {
    /// 80 px, the smallest face dlib's detector reports without upsampling: its window is 80x80 at
    /// pyramid level 0, and level k finds faces of 79 * 1.2^k + 1 px. Every level runs (dlib's result).
    public static let defaultMinimumFaceSize = 80
    /// Largest tiled pyramid accepted, in pixels: the arena grows with it (about 44 MB for an
    /// 800x533 photo, whose pyramid is 822x1973; 3 M pixels is about a 1000x1000 image).
    static let maximumPyramidPixels = 3_000_000

    let model: DetectorModel
    let engine: NetEngine
    private var plans: [TensorShape: DetectorPlan] = [:]
    private var planOrder: [TensorShape] = []
    private var arena: TensorArena?
    private var builder = PyramidBuilder()
    private var geometries: [GeometryKey: Geometry] = [:]
    private let decoder: MMODDecoder
    private static let bucket = 32
    private static let maximumPlans = 6

    /// - Parameter threads: OpenMP threads oneDNN uses for this detector's convolutions
    ///   (default: every online processor, so a lone detection uses the whole machine).
    init(model: DetectorModel, threads: Int = ProcessorCount.available) throws {
        self.model = model
        engine = try NetEngine(threads: threads)
        decoder = MMODDecoder(options: model.options, layers: model.layers)
        builder.threads = engine.threads
    }

    /// The faces in `image`, largest first.
    /// - Parameter minimumFaceSize: skips the fine pyramid levels whose faces are all smaller than
    ///   this (box side in pixels): level k is skipped when (79 * 1.2^k + 1) * sqrt(1.2) < this, i.e.
    ///   when even the faces halfway (in scale) to the next level are too small. Any value up to 87
    ///   runs every level and reproduces dlib; 100 skips level 0 (about a third of the work),
    ///   110 levels 0-1, 130 levels 0-2. The kept levels are tiled as dlib would tile the shrunk
    ///   image, so boxes near tile edges can move by a pixel; faces a little under the minimum may
    ///   still be reported.
    public func detect(_ image: RGBImage, minimumFaceSize: Int = FaceDetector.defaultMinimumFaceSize) throws -> [FaceDetection] {
        // Reject before any work: the pyramid is at most about 4x the image plus its padding.
        let (width, height) = (image.width, image.height)
        guard width <= Self.maximumPyramidPixels, height <= Self.maximumPyramidPixels,
              (width + 2 * model.input.outerPadding) * height <= Self.maximumPyramidPixels else {
            throw FaceDetectorError.imageTooLarge(width: width, height: height, maximumPyramidPixels: Self.maximumPyramidPixels)
        }
        let geometry = self.geometry(width: width, height: height, firstLevel: skippedLevels(minimumFaceSize: minimumFaceSize))
        let layout = geometry.layout
        guard layout.width * layout.height <= Self.maximumPyramidPixels else {
            throw FaceDetectorError.imageTooLarge(width: width, height: height, maximumPyramidPixels: Self.maximumPyramidPixels)
        }
        guard !layout.levels.isEmpty, let validSizes = geometry.validSizes else { return [] }

        let plan = try plan(for: TensorShape(height: Self.roundUp(layout.height), width: Self.roundUp(layout.width), channels: 3))
        let arena = try arena(for: plan)
        let base = arena.base
        let floats = { (id: Int) in (base + plan.arenaPlan.offsets[id]).assumingMemoryBound(to: Float.self) }

        builder.build(image: image, layout: layout, settings: model.input, into: floats(plan.inputBuffer),
                      tensorWidth: plan.input.width, tensorHeight: plan.input.height)
        var source = plan.inputBuffer
        for (index, conv) in plan.convolutions.enumerated() {
            let output = plan.outputs[index]
            try conv.execute(input: floats(source), output: floats(output), scratchpad: base + plan.arenaPlan.offsets[plan.scratchpad])
            if model.layers[index + 1].padding > 0 {
                // What lies beyond dlib's output must read as the next layer's zero padding.
                Self.zeroOutside(floats(output), shape: conv.output, validHeight: validSizes[index].height,
                                 validWidth: validSizes[index].width)
            }
            source = output
        }
        let valid = validSizes[validSizes.count - 1]
        try model.weights.scoreMap.run(
            engine: engine, input: floats(source), height: plan.scoreShape.height, width: plan.scoreShape.width,
            validHeight: valid.height, validWidth: valid.width, partials: floats(plan.partials), output: floats(plan.scores))
        return decoder.decode(maps: floats(plan.scores), rows: valid.height, columns: valid.width,
                              rowStride: plan.scoreShape.width, mapStride: plan.scoreShape.height * plan.scoreShape.width,
                              layout: layout)
    }

    /// The tiling and dlib's (unpadded) output size of every layer, nil when one is empty; the
    /// buckets only add zeros after them. Cached per image size so steady state allocates nothing.
    private func geometry(width: Int, height: Int, firstLevel: Int) -> Geometry {
        let key = GeometryKey(width: width, height: height, firstLevel: firstLevel)
        if let hit = geometries[key] { return hit }
        let layout = TiledPyramidLayout(imageWidth: width, imageHeight: height, padding: model.input.padding,
                                        outerPadding: model.input.outerPadding, firstLevel: firstLevel)
        var validSizes: [(height: Int, width: Int)]? = []
        var size = (height: layout.height, width: layout.width)
        for layer in model.layers {
            size = (layer.outputSize(size.height), layer.outputSize(size.width))
            guard size.height > 0, size.width > 0 else {
                validSizes = nil
                break
            }
            validSizes?.append(size)
        }
        let geometry = Geometry(layout: layout, validSizes: validSizes)
        if geometries.count >= 64 { geometries.removeAll(keepingCapacity: true) }
        geometries[key] = geometry
        return geometry
    }

    /// Pyramid levels whose faces are all smaller than `minimumFaceSize` (see `detect`).
    func skippedLevels(minimumFaceSize: Int) -> Int {
        let window = Double(model.windowSize)
        var level = 0
        while level < 64, Self.faceSide(window: window, level: level) * (1.2).squareRoot() < Double(minimumFaceSize) {
            level += 1
        }
        return level
    }

    /// Box side, in image pixels, of a detection at pyramid level `level`.
    static func faceSide(window: Double, level: Int) -> Double {
        var side = window - 1
        for _ in 0..<level { side *= 1.2 }
        return side + 1
    }

    private func plan(for shape: TensorShape) throws -> DetectorPlan {
        if let plan = plans[shape] { return plan }
        let plan = try DetectorPlan(engine: engine, weights: model.weights, input: shape)
        if planOrder.count >= Self.maximumPlans {
            plans[planOrder.removeFirst()] = nil
        }
        plans[shape] = plan
        planOrder.append(shape)
        return plan
    }

    /// One arena for every plan: as large as the largest plan used so far.
    private func arena(for plan: DetectorPlan) throws -> TensorArena {
        if let arena, arena.bytes >= plan.arenaPlan.bytes { return arena }
        let grown = try TensorArena(plan: plan.arenaPlan)
        arena = grown
        return grown
    }

    /// Bytes of the arena (all activations and scratch of the largest bucket used so far).
    var arenaBytes: Int { arena?.bytes ?? 0 }
    /// Input-shape buckets with primitives ready.
    var planCount: Int { plans.count }

    static func roundUp(_ value: Int) -> Int { (value + bucket - 1) / bucket * bucket }

    static func zeroOutside(_ tensor: UnsafeMutablePointer<Float>, shape: TensorShape, validHeight: Int, validWidth: Int) {
        let rowFloats = shape.width * shape.channels
        if validWidth < shape.width {
            for y in 0..<min(validHeight, shape.height) {
                (tensor + y * rowFloats + validWidth * shape.channels).update(repeating: 0, count: (shape.width - validWidth) * shape.channels)
            }
        }
        if validHeight < shape.height {
            (tensor + validHeight * rowFloats).update(repeating: 0, count: (shape.height - validHeight) * rowFloats)
        }
    }
}

private struct GeometryKey: Hashable {
    let width: Int
    let height: Int
    let firstLevel: Int
}

private struct Geometry {
    let layout: TiledPyramidLayout
    let validSizes: [(height: Int, width: Int)]?
}
