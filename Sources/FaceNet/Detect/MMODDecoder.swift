/// Turns the detector's score maps into faces as dlib's `loss_mmod_::to_label` does: every
/// position scoring above the threshold becomes a detector-window box centred where that position
/// looks in the tiled pyramid, mapped back to the image and rounded to whole pixels; boxes are
/// visited best score first and dropped when they overlap a kept one (options' `overlapsNMS`).
struct MMODDecoder {
    struct Candidate {
        var rect: PixelRect
        var score: Float
    }

    let options: MMODOptions
    /// Output position p looks at input position p * scale + offset (the convolutions' strides,
    /// paddings and kernel centres, composed).
    let scale: Double
    let offset: Double

    init(options: MMODOptions, layers: [DetectorConvLayer]) {
        self.options = options
        var scale = 1.0
        var offset = 0.0
        // Compose map_output_to_input from the last layer down to the first.
        for layer in layers.reversed() {
            offset = layer.mapOutputToInput(offset)
            scale *= Double(layer.stride)
        }
        self.scale = scale
        self.offset = offset
    }

    /// `maps` holds one score map per detector window, each `rows` x `columns` valid values with
    /// `rowStride` floats between rows and `mapStride` floats between maps.
    func decode(
        maps: UnsafePointer<Float>, rows: Int, columns: Int, rowStride: Int, mapStride: Int,
        layout: TiledPyramidLayout, threshold: Float = 0
    ) -> [FaceDetection] {
        var candidates: [Candidate] = []
        for (k, window) in options.detectorWindows.enumerated() {
            for r in 0..<rows {
                let row = maps + k * mapStride + r * rowStride
                for c in 0..<columns where row[c] > threshold {
                    let box = windowBox(column: c, row: r, window: window)
                    candidates.append(Candidate(rect: Self.rounded(layout.tiledToImage(box)), score: row[c]))
                }
            }
        }
        candidates.sort { $0.score > $1.score }
        let kept = suppressNonMaxima(candidates)
        return Self.largestFirst(kept.map {
            FaceDetection(box: FaceBox(left: Double($0.rect.left), top: Double($0.rect.top),
                                       right: Double($0.rect.right), bottom: Double($0.rect.bottom)),
                          confidence: $0.score)
        })
    }

    /// centered_drect: a width x height box (inclusive edges) around the mapped position.
    func windowBox(column: Int, row: Int, window: MMODOptions.DetectorWindow) -> FaceBox {
        let x = Double(column) * scale + offset
        let y = Double(row) * scale + offset
        let halfWidth = Double(window.width - 1) / 2
        let halfHeight = Double(window.height - 1) / 2
        return FaceBox(left: x - halfWidth, top: y - halfHeight, right: x + halfWidth, bottom: y + halfHeight)
    }

    /// Candidates sorted best first; keeps each one that overlaps no kept box.
    func suppressNonMaxima(_ candidates: [Candidate]) -> [Candidate] {
        var kept: [Candidate] = []
        for candidate in candidates where !kept.contains(where: { options.overlapsNMS.overlaps($0.rect, candidate.rect) }) {
            kept.append(candidate)
        }
        return kept
    }

    /// Largest box first; equal sizes keep the better score first.
    static func largestFirst(_ detections: [FaceDetection]) -> [FaceDetection] {
        detections.enumerated().sorted { a, b in
            if a.element.box.area != b.element.box.area { return a.element.box.area > b.element.box.area }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// drectangle to rectangle: each edge to the nearest integer, halves up (floor(x + 0.5)).
    static func rounded(_ box: FaceBox) -> PixelRect {
        PixelRect(left: Int((box.left + 0.5).rounded(.down)), top: Int((box.top + 0.5).rounded(.down)),
                  right: Int((box.right + 0.5).rounded(.down)), bottom: Int((box.bottom + 0.5).rounded(.down)))
    }
}
