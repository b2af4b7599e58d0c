import Atomics

/// 1:N search over one segment. `search` streams the int8 sketches and re-ranks the few
/// candidates whose bounds allow them into the top k with exact Float32 distances; it returns
/// exactly what `exhaustiveSearch` (a full Float32 scan) returns. Both only read slots below the
/// published count and never serve a tombstoned or checksum-failing template.
extension Segment {
    struct RawHit: Equatable {
        var subject: UInt32
        var distance: Float
        var slot: Int
    }

    func search(_ q: SearchQuery, topK: Int, maxDistance: Float) -> [RawHit] {
        for _ in 0..<4 {
            if let hits = searchOnce(q, topK: topK, maxDistance: maxDistance) { return hits }
        }
        return exhaustiveSearch(q, topK: topK, maxDistance: maxDistance)
    }

    /// nil when a hit was erased or found damaged during the search; the caller retries.
    private func searchOnce(_ q: SearchQuery, topK: Int, maxDistance: Float) -> [RawHit]? {
        let count = committedSlots.load(ordering: .acquiring)
        let slack = Quantizer.relativeSlack
        var best = SubjectTopK(k: topK)
        var threshold = maxDistance
        var candidates: [(slot: Int, lower: Float)] = []
        let C = format.chunkSlots, P = format.padded, blocks = q.blocks
        let kk = q.norm2, twoT = 2 * q.scale, epsQ = q.epsilon, hsd = q.halfSqrtDim * 1.0001
        q.codes.withUnsafeBufferPointer { codesBuf in
            let codes = codesBuf.baseAddress!
            var chunk = 0
            while chunk * C < count {
                let n = min(C, count - chunk * C)
                let aux = slabBase + format.auxOffset(chunk * C)
                let sketch = slabBase + format.sketchOffset(chunk * C)
                var limit = threshold * (1 + 2 * slack)
                for i in 0..<n {
                    let s = aux.load(fromByteOffset: i * 16, as: Float.self)
                    let cc = aux.load(fromByteOffset: i * 16 + 4, as: Float.self)
                    let dot = Float(DistanceKernels.sketchDot(sketch + i * P, codes, blocks: blocks))
                    let a2 = kk - twoT * s * dot + cc
                    let eta = 1e-5 * (kk + cc) + 1e-6
                    let eps = epsQ + s * hsd
                    let lim = limit + eps
                    if a2 - eta > lim * lim { continue }
                    let slot = chunk * C + i
                    atomicMemoryFence(ordering: .acquiring)
                    if isTombstoned(slot) { continue }
                    let lower = max(0, (max(0, a2 - eta)).squareRoot() - eps) * (1 - slack)
                    if lower > threshold { continue }
                    let upper = ((a2 + eta).squareRoot() + eps) * (1 + slack)
                    candidates.append((slot, lower))
                    best.offer(subject: slots.pointer[slot].subject, value: upper, slot: slot)
                    if best.isFull {
                        threshold = min(maxDistance, best.worstValue)
                        limit = threshold * (1 + 2 * slack)
                    }
                }
                chunk += 1
            }
        }
        var exact = SubjectTopK(k: topK)
        var rejected = false
        q.padded.withUnsafeBytes { qb in
            for c in candidates where c.lower <= threshold {
                let d = exactDistance(qb.baseAddress!, slot: c.slot, blocks: q.blocks)
                exact.offer(subject: slots.pointer[c.slot].subject, value: d, slot: c.slot)
            }
        }
        var hits: [RawHit] = []
        for e in exact.sorted() where e.value <= maxDistance {
            if !vectorIsIntact(e.slot) || isTombstonedAfterRead(e.slot) {
                if !isTombstoned(e.slot) { quarantine(e.slot) }
                rejected = true
            }
            hits.append(RawHit(subject: e.subject, distance: e.value, slot: e.slot))
        }
        return rejected ? nil : hits
    }

    /// Reference search: exact Float32 distance to every live slot.
    func exhaustiveSearch(_ q: SearchQuery, topK: Int, maxDistance: Float) -> [RawHit] {
        while true {
            let count = committedSlots.load(ordering: .acquiring)
            var exact = SubjectTopK(k: topK)
            q.padded.withUnsafeBytes { qb in
                for slot in 0..<count where !isTombstoned(slot) {
                    let d = exactDistance(qb.baseAddress!, slot: slot, blocks: q.blocks)
                    if d <= maxDistance && (!exact.isFull || d <= exact.worstValue) {
                        atomicMemoryFence(ordering: .acquiring)
                        if isTombstoned(slot) { continue }
                        exact.offer(subject: slots.pointer[slot].subject, value: d, slot: slot)
                    }
                }
            }
            var rejected = false
            let hits = exact.sorted().map { e in
                if !vectorIsIntact(e.slot) || isTombstonedAfterRead(e.slot) {
                    if !isTombstoned(e.slot) { quarantine(e.slot) }
                    rejected = true
                }
                return RawHit(subject: e.subject, distance: e.value, slot: e.slot)
            }
            if !rejected { return hits }
        }
    }

    @inline(__always) private func isTombstonedAfterRead(_ slot: Int) -> Bool {
        atomicMemoryFence(ordering: .acquiring)
        return isTombstoned(slot)
    }

    /// Best exact distance over the given slots, skipping erased or damaged ones.
    func bestDistance(_ q: SearchQuery, slots candidates: [Int]) -> Float? {
        var best: Float?
        q.padded.withUnsafeBytes { qb in
            for slot in candidates where slot < committedSlots.load(ordering: .acquiring) {
                let d = exactDistance(qb.baseAddress!, slot: slot, blocks: q.blocks)
                guard vectorIsIntact(slot) else {
                    if !isTombstonedAfterRead(slot) { quarantine(slot) }
                    continue
                }
                if isTombstonedAfterRead(slot) { continue }
                best = min(best ?? d, d)
            }
        }
        return best
    }
}
