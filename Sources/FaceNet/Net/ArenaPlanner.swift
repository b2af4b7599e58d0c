/// Plans where each intermediate buffer of a network lives inside one arena, from the first and
/// last step that use it, the way TensorFlow Lite Micro's greedy memory planner does: buffers are
/// placed largest first, each at the lowest offset whose range does not collide with an already
/// placed buffer that is alive at the same time. Offsets are 64-byte aligned.
struct ArenaPlanner: Sendable {
    struct Buffer: Sendable {
        let bytes: Int
        let firstUse: Int
        let lastUse: Int
    }

    static let alignment = 64
    private(set) var buffers: [Buffer] = []

    init() {}

    /// Registers a buffer alive from step `firstUse` through step `lastUse` (inclusive) and
    /// returns its id (an index into the plan's offsets).
    mutating func add(bytes: Int, firstUse: Int, lastUse: Int) -> Int {
        buffers.append(Buffer(bytes: max(0, bytes), firstUse: firstUse, lastUse: max(firstUse, lastUse)))
        return buffers.count - 1
    }

    /// Extends buffer `id`'s lifetime to include `step`.
    mutating func use(_ id: Int, at step: Int) {
        let b = buffers[id]
        buffers[id] = Buffer(bytes: b.bytes, firstUse: min(b.firstUse, step), lastUse: max(b.lastUse, step))
    }

    func plan() -> ArenaPlan {
        let order = buffers.indices.sorted {
            buffers[$0].bytes != buffers[$1].bytes ? buffers[$0].bytes > buffers[$1].bytes : $0 < $1
        }
        var offsets = [Int](repeating: 0, count: buffers.count)
        var placed: [Int] = []
        var total = 0
        for id in order {
            let me = buffers[id]
            let size = Self.aligned(me.bytes)
            // Ranges taken by buffers alive at the same time, by offset.
            let live = placed.filter { other in
                let o = buffers[other]
                return o.firstUse <= me.lastUse && me.firstUse <= o.lastUse
            }.map { (offsets[$0], offsets[$0] + Self.aligned(buffers[$0].bytes)) }.sorted { $0.0 < $1.0 }
            var candidate = 0
            for (start, end) in live {
                if start - candidate >= size { break }
                candidate = max(candidate, end)
            }
            offsets[id] = candidate
            placed.append(id)
            total = max(total, candidate + size)
        }
        return ArenaPlan(offsets: offsets, bytes: total, naiveBytes: buffers.reduce(0) { $0 + Self.aligned($1.bytes) })
    }

    static func aligned(_ bytes: Int) -> Int { (bytes + alignment - 1) / alignment * alignment }
}

/// The outcome of `ArenaPlanner.plan()`.
struct ArenaPlan: Sendable, Equatable {
    /// Byte offset of each buffer, indexed by the id `add` returned.
    let offsets: [Int]
    /// Arena size needed.
    let bytes: Int
    /// What giving every buffer its own memory would have cost.
    let naiveBytes: Int
}
