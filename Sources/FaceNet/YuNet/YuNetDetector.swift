/// YuNet face detection on one thread's engine, FaceDetectorYN's way: the image (BGR, 0-255) is
/// padded on the right and bottom to a multiple of 32, run through the network, decoded per
/// stride, and thinned by NMS. Networks are prepared per padded size (about one detection's
/// time) and the last 32 sizes kept, all sharing one activation arena.
/// Use from one thread at a time.
public final class YuNetDetector {
    public struct Options: Sendable, Equatable {
        /// Minimum score of a face.
        public var scoreThreshold: Float
        /// Faces overlapping a better one by more than this IoU are dropped.
        public var iouThreshold: Float
        /// At most this many candidates enter NMS.
        public var topK: Int

        public init(scoreThreshold: Float = 0.6, iouThreshold: Float = 0.3, topK: Int = 5000) {
            self.scoreThreshold = scoreThreshold
            self.iouThreshold = iouThreshold
            self.topK = topK
        }
    }

    public let model: YuNetModel
    let engine: NetEngine
    private var runners: [Size: GraphRunner] = [:]
    private var recent: [Size] = []
    private let memory: SharedArena
    private static let cachedSizes = 32

    private struct Size: Hashable { var height: Int, width: Int }

    public init(model: YuNetModel, threads: Int = 1) throws {
        self.model = model
        engine = try NetEngine(threads: threads)
        memory = try SharedArena()
    }

    /// Faces in `image`, best first, in its pixel coordinates.
    public func detect(_ image: RGBImage, options: Options = Options()) throws -> [YuNetFace] {
        guard image.width > 0, image.height > 0 else { return [] }
        let size = Size(height: (image.height + 31) / 32 * 32, width: (image.width + 31) / 32 * 32)
        let runner = try runner(for: size)
        Self.fill(runner.input, from: image, paddedWidth: size.width, paddedHeight: size.height)
        try runner.run()
        let outputs = model.strides.map { s in
            YuNetDecoder.StrideOutput(stride: s.stride, rows: size.height / s.stride, columns: size.width / s.stride,
                                      classScores: runner.output(s.classScores), objectness: runner.output(s.objectness),
                                      boxes: runner.output(s.boxes), landmarks: runner.output(s.landmarks))
        }
        let candidates = YuNetDecoder.decode(outputs, scoreThreshold: options.scoreThreshold)
        return YuNetDecoder.suppress(candidates, scoreThreshold: options.scoreThreshold,
                                     iouThreshold: options.iouThreshold, topK: options.topK)
    }

    /// Bytes of activation memory of the network prepared for an image of this size.
    public func arenaBytes(width: Int, height: Int) throws -> Int {
        try runner(for: Size(height: (height + 31) / 32 * 32, width: (width + 31) / 32 * 32)).arenaBytes
    }

    private func runner(for size: Size) throws -> GraphRunner {
        if let runner = runners[size] {
            recent.removeAll { $0 == size }
            recent.append(size)
            return runner
        }
        let runner = try GraphRunner(model: model.graph, engine: engine, height: size.height, width: size.width, memory: memory)
        if recent.count == Self.cachedSizes { runners[recent.removeFirst()] = nil }
        runners[size] = runner
        recent.append(size)
        return runner
    }

    /// RGB bytes to the network's BGR floats, NHWC, zeros in the padding (the arena reuses memory).
    private static func fill(_ input: UnsafeMutablePointer<Float>, from image: RGBImage, paddedWidth: Int, paddedHeight: Int) {
        input.update(repeating: 0, count: paddedWidth * paddedHeight * 3)
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                let source = pixels.baseAddress! + y * image.width * 3
                let row = input + y * paddedWidth * 3
                for x in 0..<image.width {
                    row[x * 3] = Float(source[x * 3 + 2])
                    row[x * 3 + 1] = Float(source[x * 3 + 1])
                    row[x * 3 + 2] = Float(source[x * 3])
                }
            }
        }
    }
}
