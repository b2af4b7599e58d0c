/// Fills the detector's input tensor the way dlib's `input_rgb_image_pyramid::to_tensor` does:
/// the image, each channel as (value - channel mean) / 256, at level 0's rectangle, every further
/// level resampled from the previous one, zeros everywhere else. The tensor is interleaved
/// (3 floats per pixel) and may be larger than the tiled image (shape buckets); the extra
/// columns and rows are zero too.
struct PyramidBuilder {
    private var scratch: [[Float]] = [[], []]
    private var tapCache: [Int: [PyramidResampler.ColumnTap]] = [:]
    private var rowCache: [Int: [Double]] = [:]
    /// Threads for the row bands of each level.
    var threads = 1

    mutating func build(
        image: RGBImage, layout: TiledPyramidLayout, settings: PyramidInputSettings,
        into tensor: UnsafeMutablePointer<Float>, tensorWidth: Int, tensorHeight: Int
    ) {
        let channels = 3
        let stride = tensorWidth * channels
        zeroGaps(layout: layout, tensor: tensor, tensorWidth: tensorWidth, tensorHeight: tensorHeight)
        guard let first = layout.levels.first else { return }

        let means = (settings.averageRed, settings.averageGreen, settings.averageBlue)
        if layout.firstLevel == 0 {
            normalize(image, means: means, into: tensor + (first.top * tensorWidth + first.left) * channels, stride: stride)
        } else {
            shrinkToFirstLevel(image, means: means, levels: layout.firstLevel,
                               into: tensor + (first.top * tensorWidth + first.left) * channels, stride: stride)
        }
        for i in layout.levels.indices.dropFirst() {
            let from = layout.levels[i - 1]
            let to = layout.levels[i]
            resize(source: UnsafePointer(tensor + (from.top * tensorWidth + from.left) * channels), sourceStride: stride,
                   inputWidth: from.width, inputHeight: from.height,
                   destination: tensor + (to.top * tensorWidth + to.left) * channels, destinationStride: stride,
                   outputWidth: to.width, outputHeight: to.height)
        }
    }

    private func normalize(_ image: RGBImage, means: (Float, Float, Float), into out: UnsafeMutablePointer<Float>, stride: Int) {
        image.pixels.withUnsafeBufferPointer { pixels in
            ParallelBands.run(image.height, threads: threads) { band in
                for y in band {
                    let row = out + y * stride
                    let source = y * image.width * 3
                    for x in 0..<image.width {
                        row[3 * x] = (Float(pixels[source + 3 * x]) - means.0) / 256
                        row[3 * x + 1] = (Float(pixels[source + 3 * x + 1]) - means.1) / 256
                        row[3 * x + 2] = (Float(pixels[source + 3 * x + 2]) - means.2) / 256
                    }
                }
            }
        }
    }

    /// The image shrunk `levels` times by the same resampling dlib uses between levels, so the
    /// levels kept are identical to dlib's.
    private mutating func shrinkToFirstLevel(
        _ image: RGBImage, means: (Float, Float, Float), levels: Int, into out: UnsafeMutablePointer<Float>, stride: Int
    ) {
        var width = image.width
        var height = image.height
        let needed = width * height * 3
        for i in 0..<2 where scratch[i].count < needed { scratch[i] = [Float](repeating: 0, count: needed) }
        var a = scratch[0]
        var b = scratch[1]
        scratch = [[], []]
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
                guard let pa = a.baseAddress, let pb = b.baseAddress else { return }
                normalize(image, means: means, into: pa, stride: width * 3)
                var (source, destination) = (pa, pb)
                for level in 1...levels {
                    let newWidth = TiledPyramidLayout.downsampled(width)
                    let newHeight = TiledPyramidLayout.downsampled(height)
                    let last = level == levels
                    resize(source: UnsafePointer(source), sourceStride: width * 3, inputWidth: width, inputHeight: height,
                           destination: last ? out : destination, destinationStride: last ? stride : newWidth * 3,
                           outputWidth: newWidth, outputHeight: newHeight)
                    (source, destination) = (destination, source)
                    (width, height) = (newWidth, newHeight)
                }
            }
        }
        scratch = [a, b]
    }

    private mutating func resize(
        source: UnsafePointer<Float>, sourceStride: Int, inputWidth: Int, inputHeight: Int,
        destination: UnsafeMutablePointer<Float>, destinationStride: Int, outputWidth: Int, outputHeight: Int
    ) {
        let taps = cached(&tapCache, inputWidth, outputWidth) {
            PyramidResampler.columnTaps(inputWidth: inputWidth, outputWidth: outputWidth)
        }
        let rows = cached(&rowCache, inputHeight, outputHeight) {
            PyramidResampler.rowPositions(inputHeight: inputHeight, outputHeight: outputHeight)
        }
        ParallelBands.run(outputHeight, threads: threads) { band in
            PyramidResampler.resize(
                source: source, sourceStride: sourceStride, inputWidth: inputWidth, inputHeight: inputHeight,
                destination: destination, destinationStride: destinationStride, outputWidth: outputWidth,
                taps: taps, rowPositions: rows, rows: band)
        }
    }

    /// Tables depend only on the two sizes; the cache is bounded for a server seeing many sizes.
    private func cached<T>(_ cache: inout [Int: T], _ from: Int, _ to: Int, make: () -> T) -> T {
        let key = from << 32 | to
        if let hit = cache[key] { return hit }
        let made = make()
        if cache.count > 512 { cache.removeAll(keepingCapacity: true) }
        cache[key] = made
        return made
    }

    /// Zeros every pixel of the tensor outside the level rectangles (which are written in full).
    private func zeroGaps(layout: TiledPyramidLayout, tensor: UnsafeMutablePointer<Float>, tensorWidth: Int, tensorHeight: Int) {
        let levels = layout.levelsByLeft
        for y in 0..<tensorHeight {
            let row = tensor + y * tensorWidth * 3
            var x = 0
            for rect in levels where rect.top <= y && y <= rect.bottom {
                if rect.left > x { (row + 3 * x).update(repeating: 0, count: 3 * (rect.left - x)) }
                x = max(x, rect.right + 1)
            }
            if tensorWidth > x { (row + 3 * x).update(repeating: 0, count: 3 * (tensorWidth - x)) }
        }
    }
}
