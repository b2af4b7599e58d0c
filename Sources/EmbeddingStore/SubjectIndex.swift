/// Subject id → slots of its live templates (oldest first), plus the number → name table that
/// searches use to name hits. Guarded by its segment's index lock.
///
/// An open-addressing table of subject numbers hashed with XXH64 (seeded per process) rather
/// than a `Dictionary<String, _>`: recovery inserts a million subjects in a fraction of the time.
/// A subject keeps its number after its last template goes (count 0), so re-enrolling reuses it.
struct SubjectIndex {
    private var table: [UInt32] = []  // subject number + 1; 0 = empty bucket
    private var mask = 0
    private(set) var names: [String] = []
    private var first: [Int32] = []  // first slot inline: most subjects hold one template
    private var more: [[Int32]] = []
    private var counts: [UInt16] = []
    private(set) var subjectCount = 0
    private(set) var templateCount = 0
    private static let seed = UInt64.random(in: .min ... .max)

    private static func hash(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { XXHash64.hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    mutating func reserve(_ n: Int) {
        guard n * 2 > table.count else { return }
        var cap = 16
        while cap < n * 2 { cap <<= 1 }
        table = [UInt32](repeating: 0, count: cap)
        mask = cap - 1
        for n in names.indices { insertBucket(UInt32(n), hash: Self.hash(names[n])) }
        names.reserveCapacity(n)
        first.reserveCapacity(n)
        more.reserveCapacity(n)
        counts.reserveCapacity(n)
    }

    private mutating func insertBucket(_ number: UInt32, hash: UInt64) {
        var i = Int(truncatingIfNeeded: hash) & mask
        while table[i] != 0 { i = (i + 1) & mask }
        table[i] = number + 1
    }

    /// The subject's number, or nil with the bucket where it would go.
    private func find(_ subject: String, hash: UInt64) -> (UInt32?, Int) {
        guard !table.isEmpty else { return (nil, 0) }
        var i = Int(truncatingIfNeeded: hash) & mask
        while table[i] != 0 {
            let n = table[i] - 1
            if names[Int(n)].utf8.elementsEqual(subject.utf8) { return (n, i) }
            i = (i + 1) & mask
        }
        return (nil, i)
    }

    func number(of subject: String) -> UInt32? { find(subject, hash: Self.hash(subject)).0 }

    func slots(of subject: String) -> [Int] {
        guard let n = number(of: subject) else { return [] }
        return slots(ofNumber: n)
    }

    private func slots(ofNumber n: UInt32) -> [Int] {
        let i = Int(n)
        guard counts[i] > 0 else { return [] }
        return [Int(first[i])] + more[i].map(Int.init)
    }

    func name(ofNumber n: UInt32) -> String? { Int(n) < names.count ? names[Int(n)] : nil }

    /// Adds a slot to a subject, creating the subject when needed; returns its number.
    @discardableResult
    mutating func add(slot: Int, to subject: String) -> UInt32 {
        if (names.count + 1) * 2 > table.count { reserve(max(16, names.count * 2)) }
        let h = Self.hash(subject)
        let (found, bucket) = find(subject, hash: h)
        let n: UInt32
        if let found {
            n = found
        } else {
            n = UInt32(names.count)
            table[bucket] = n + 1
            names.append(subject)
            first.append(-1)
            more.append([])
            counts.append(0)
        }
        let i = Int(n)
        if counts[i] == 0 {
            first[i] = Int32(slot)
            subjectCount += 1
        } else {
            more[i].append(Int32(slot))
        }
        counts[i] += 1
        templateCount += 1
        return n
    }

    mutating func remove(slot: Int, from subject: String) {
        guard let n = number(of: subject) else { return }
        let i = Int(n)
        guard counts[i] > 0 else { return }
        if first[i] == Int32(slot) {
            first[i] = more[i].isEmpty ? -1 : more[i].removeFirst()
        } else if let j = more[i].firstIndex(of: Int32(slot)) {
            more[i].remove(at: j)
        } else {
            return
        }
        counts[i] -= 1
        templateCount -= 1
        if counts[i] == 0 { subjectCount -= 1 }
    }

    /// Every live (subject, slot), in slot order.
    func liveSlots() -> [(subject: String, slot: Int)] {
        var out: [(String, Int)] = []
        out.reserveCapacity(templateCount)
        for n in names.indices where counts[n] > 0 {
            for s in slots(ofNumber: UInt32(n)) { out.append((names[n], s)) }
        }
        return out.sorted { $0.1 < $1.1 }
    }

    /// Subjects in byte order strictly after `cursor`, at most `limit`. Keeps only a bounded
    /// buffer, so a page costs O(n log limit) rather than a full sort.
    func list(after cursor: String?, limit: Int) -> [String] {
        guard limit > 0 else { return [] }
        func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        var out: [String] = []
        for n in names.indices where counts[n] > 0 {
            let k = names[n]
            if let c = cursor, !less(c, k) { continue }
            out.append(k)
            if out.count >= 2 * limit + 64 {
                out.sort(by: less)
                out.removeSubrange(limit...)
            }
        }
        out.sort(by: less)
        return Array(out.prefix(limit))
    }
}
