/// Scales and orients decoded pixels into the upright working image in two separable passes
/// (horizontal, then vertical, each rounded to bytes), with `ResampleTaps` weights: the same
/// arithmetic as Pillow's Image.resize(size, BILINEAR), applied in the upright frame, so the
/// result equals Pillow's exif_transpose + resize exactly (for the same decoded pixels).
///
/// The source is read through the orientation's strides, so the stored image is never rotated
/// as a whole; only the (small) output is written.
public enum BilinearResampler {
    /// Resizes an upright image (Pillow-identical antialiased bilinear).
    public static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        let stored = StoredPixels(rgb: image.pixels, width: image.width, height: image.height,
                                  originalWidth: image.width, originalHeight: image.height)
        return resize(stored, orientation: .topLeft, toWidth: width, height: height)
    }

    static func resize(_ p: StoredPixels, orientation: ExifOrientation, toWidth outW: Int, height outH: Int) -> RGBImage {
        let (base, dx, dy) = orientation.strides(width: p.width, height: p.height, channels: 3)
        let up = orientation.uprightSize(width: p.width, height: p.height)
        let content = orientation.swapsAxes ? (p.contentHeight, p.contentWidth) : (p.contentWidth, p.contentHeight)
        guard outW > 0, outH > 0, up.width > 0, up.height > 0 else { return RGBImage(width: 0, height: 0) }
        if outW == up.width, outH == up.height, content == (Double(up.width), Double(up.height)) {
            return orientation == .topLeft
                ? RGBImage(width: outW, height: outH, pixels: p.rgb)
                : reorient(p.rgb, base: base, dx: dx, dy: dy, width: outW, height: outH)
        }
        // A reversed upright axis starts at the stored far edge, where a DCT-scaled image's
        // partial last pixel lies, so the content box sits at the end of that axis.
        let xFrom = dx < 0 ? Double(up.width) - content.0 : 0
        let yFrom = dy < 0 ? Double(up.height) - content.1 : 0
        let hTaps = ResampleTaps(inSize: up.width, in0: xFrom, in1: xFrom + content.0, outSize: outW)
        let vTaps = ResampleTaps(inSize: up.height, in0: yFrom, in1: yFrom + content.1, outSize: outH)
        let firstRow = vTaps.start[0]
        let endRow = vTaps.start[outH - 1] + vTaps.count[outH - 1]
        let temp = horizontalPass(p.rgb, base: base + firstRow * dy, dx: dx, dy: dy,
                                  rows: endRow - firstRow, outWidth: outW, taps: hTaps)
        let out = verticalPass(temp, rowOffset: firstRow, outWidth: outW, outHeight: outH, taps: vTaps)
        return RGBImage(width: outW, height: outH, pixels: out)
    }

    private static func horizontalPass(_ src: [UInt8], base: Int, dx: Int, dy: Int, rows: Int, outWidth: Int, taps: ResampleTaps) -> [UInt8] {
        let count = outWidth * 3 * rows
        return [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            src.withUnsafeBufferPointer { s in
                taps.weights.withUnsafeBufferPointer { w in
                    guard let sp = s.baseAddress, let op = out.baseAddress, let wp = w.baseAddress else { return }
                    for row in 0..<rows {
                        let rowBase = base + row * dy
                        var o = op + row * outWidth * 3
                        for x in 0..<outWidth {
                            var p = sp + (rowBase + taps.start[x] * dx)
                            let k = wp + x * taps.stride
                            var r = ResampleTaps.half, g = ResampleTaps.half, b = ResampleTaps.half
                            for t in 0..<taps.count[x] {
                                let weight = k[t]
                                r &+= Int32(p[0]) &* weight
                                g &+= Int32(p[1]) &* weight
                                b &+= Int32(p[2]) &* weight
                                p += dx
                            }
                            o[0] = ResampleTaps.clamp(r)
                            o[1] = ResampleTaps.clamp(g)
                            o[2] = ResampleTaps.clamp(b)
                            o += 3
                        }
                    }
                }
            }
            initialized = count
        }
    }

    private static func verticalPass(_ src: [UInt8], rowOffset: Int, outWidth: Int, outHeight: Int, taps: ResampleTaps) -> [UInt8] {
        let rowLength = outWidth * 3
        let count = rowLength * outHeight
        var sums = [Int32](repeating: 0, count: rowLength)
        return [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            src.withUnsafeBufferPointer { s in
                sums.withUnsafeMutableBufferPointer { acc in
                    guard let sp = s.baseAddress, let op = out.baseAddress, let ap = acc.baseAddress else { return }
                    for y in 0..<outHeight {
                        for i in 0..<rowLength { ap[i] = ResampleTaps.half }
                        let first = taps.start[y] - rowOffset
                        for t in 0..<taps.count[y] {
                            let weight = taps.weights[y * taps.stride + t]
                            let row = sp + (first + t) * rowLength
                            for i in 0..<rowLength { ap[i] &+= Int32(row[i]) &* weight }
                        }
                        let o = op + y * rowLength
                        for i in 0..<rowLength { o[i] = ResampleTaps.clamp(ap[i]) }
                    }
                }
            }
            initialized = count
        }
    }

    /// Orientation without scaling: a strided copy.
    private static func reorient(_ src: [UInt8], base: Int, dx: Int, dy: Int, width: Int, height: Int) -> RGBImage {
        let count = width * height * 3
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            src.withUnsafeBufferPointer { s in
                guard let sp = s.baseAddress, let op = out.baseAddress else { return }
                var o = op
                for y in 0..<height {
                    var p = sp + (base + y * dy)
                    for _ in 0..<width {
                        o[0] = p[0]; o[1] = p[1]; o[2] = p[2]
                        o += 3
                        p += dx
                    }
                }
            }
            initialized = count
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
