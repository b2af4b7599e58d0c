/// Fills the detector's input tensor the way dlib's `input_rgb_image_pyramid::to_tensor` does:
/// the image, each channel as (value - channel mean) / 256, at level 0's rectangle, every further
/// level resampled from the previous one, zeros everywhere else. The tensor is interleaved
/// (3 floats per pixel) and may be larger than the tiled image (shape buckets); the extra
/// columns and rows are zero too.
struct PyramidBuilder {
    private var scratch: [[Float]] = [[], []]
    private var tapCache: [Int: [PyramidResampler.ColumnTap]] = [:]

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
            for y in 0..<image.height {
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
        let key = inputWidth << 32 | outputWidth
        let taps: [PyramidResampler.ColumnTap]
        if let cached = tapCache[key] {
            taps = cached
        } else {
            taps = PyramidResampler.columnTaps(inputWidth: inputWidth, outputWidth: outputWidth)
            if tapCache.count > 512 { tapCache.removeAll(keepingCapacity: true) }
            tapCache[key] = taps
        }
        PyramidResampler.resize(
            source: source, sourceStride: sourceStride, inputWidth: inputWidth, inputHeight: inputHeight,
            destination: destination, destinationStride: destinationStride, outputWidth: outputWidth,
            outputHeight: outputHeight, channels: 3, taps: taps)
    }

    /// Zeros every pixel of the tensor outside the level rectangles (which are written in full).
    private func zeroGaps(layout: TiledPyramidLayout, tensor: UnsafeMutablePointer<Float>, tensorWidth: Int, tensorHeight: Int) {
        let levels = layout.levels.sorted { $0.left < $1.left }
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
