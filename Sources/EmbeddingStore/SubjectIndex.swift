/// Subject id → slots of its live templates (oldest first), plus the number → name table that
/// searches use to name hits. Guarded by its segment's index lock.
struct SubjectIndex {
    struct Entry {
        var number: UInt32
        var slots: [Int32]
    }

    private(set) var entries: [String: Entry] = [:]
    private(set) var names: [String] = []
    private(set) var templateCount = 0

    var subjectCount: Int { entries.count }

    func slots(of subject: String) -> [Int] { entries[subject]?.slots.map(Int.init) ?? [] }

    func number(of subject: String) -> UInt32? { entries[subject]?.number }

    func name(ofNumber n: UInt32) -> String? { Int(n) < names.count ? names[Int(n)] : nil }

    /// Adds a slot to a subject, creating the subject when needed; returns its number.
    @discardableResult
    mutating func add(slot: Int, to subject: String) -> UInt32 {
        templateCount += 1
        if let i = entries.index(forKey: subject) {
            entries.values[i].slots.append(Int32(slot))
            return entries.values[i].number
        }
        let n = UInt32(names.count)
        names.append(subject)
        entries[subject] = Entry(number: n, slots: [Int32(slot)])
        return n
    }

    /// Number a subject would get if `add` were called now.
    func prospectiveNumber(of subject: String) -> UInt32 { entries[subject]?.number ?? UInt32(names.count) }

    mutating func remove(slot: Int, from subject: String) {
        guard let i = entries.index(forKey: subject), let j = entries.values[i].slots.firstIndex(of: Int32(slot)) else { return }
        entries.values[i].slots.remove(at: j)
        templateCount -= 1
        if entries.values[i].slots.isEmpty { entries.remove(at: i) }
    }

    mutating func reserve(_ n: Int) { entries.reserveCapacity(n) }

    /// Subjects in byte order strictly after `cursor`, at most `limit`.
    func list(after cursor: String?, limit: Int) -> [String] {
        let keys = entries.keys.filter { k in cursor.map { Array(k.utf8).lexicographicallyPrecedes(Array($0.utf8)) == false && k != $0 } ?? true }
        return Array(keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.prefix(limit))
    }
}
