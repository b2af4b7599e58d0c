/// A query prepared for one segment format: padded Float32 values for exact distances and int8
/// codes (as Int16 lanes) for the sketch pre-filter. See `Quantizer` for the bound.
struct SearchQuery {
    let padded: [Float]
    let codes: [SIMD16<Int16>]
    /// Query scale t and t^2 * |k|^2.
    let scale: Float
    let norm2: Float
    /// Distance between the query and its own sketch, at most.
    let epsilon: Float
    let halfSqrtDim: Float
    let blocks: Int

    /// Angular: the query is scaled to unit length first, as the templates' sketches are.
    init(_ query: [Float], format: SlabFormat, metric: StoreMetric) {
        var vector = query
        if metric == .angular {
            let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { for i in vector.indices { vector[i] /= norm } }
        }
        var p = vector
        p.append(contentsOf: repeatElement(0, count: format.padded - vector.count))
        padded = p
        blocks = format.padded / 16
        halfSqrtDim = Float(format.dimension).squareRoot() / 2
        let s = vector.withUnsafeBufferPointer { Quantizer.sketch($0, padded: format.padded) }
        scale = s.scale
        norm2 = s.norm2
        epsilon = Quantizer.errorBound(scale: s.scale, halfSqrtDim: halfSqrtDim)
        var lanes: [SIMD16<Int16>] = []
        for b in 0..<blocks {
            var v = SIMD16<Int16>()
            for l in 0..<16 { v[l] = Int16(s.codes[b * 16 + l]) }
            lanes.append(v)
        }
        codes = lanes
    }
}

/// Streaming top-k over distinct subjects, keyed by a value that only matters per subject as its
/// minimum. Ties break on slot so results are deterministic.
struct SubjectTopK {
    struct Entry {
        var subject: UInt32
        var value: Float
        var slot: Int
    }

    let k: Int
    private(set) var entries: [Entry] = []
    private var worst = 0

    init(k: Int) { self.k = k }

    var isFull: Bool { entries.count == k }
    var worstValue: Float { entries.isEmpty ? .infinity : entries[worst].value }

    @inline(__always) private static func less(_ a: Entry, _ b: Entry) -> Bool {
        a.value < b.value || (a.value == b.value && a.slot < b.slot)
    }

    mutating func offer(subject: UInt32, value: Float, slot: Int) {
        let e = Entry(subject: subject, value: value, slot: slot)
        if let i = entries.firstIndex(where: { $0.subject == subject }) {
            if Self.less(e, entries[i]) { entries[i] = e; findWorst() }
        } else if entries.count < k {
            entries.append(e)
            findWorst()
        } else if Self.less(e, entries[worst]) {
            entries[worst] = e
            findWorst()
        }
    }

    private mutating func findWorst() {
        worst = 0
        for i in entries.indices where Self.less(entries[worst], entries[i]) { worst = i }
    }

    func sorted() -> [Entry] { entries.sorted(by: Self.less) }
}
