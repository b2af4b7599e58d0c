import Synchronization

// Apart from Segment.swift, which uses swift-atomics: Synchronization extends the integer types
// with atomic representations of its own.
extension Segment {
    /// What readers and the writer share under `catalog`: the subject index and the damage
    /// found so far.
    struct Catalog {
        var index = SubjectIndex()
        /// Slots whose bytes failed a checksum; reported, never served.
        var damagedSlots: Set<Int> = []
        var lostRecords = 0
    }

    typealias CatalogLock = Mutex<Catalog>
}
