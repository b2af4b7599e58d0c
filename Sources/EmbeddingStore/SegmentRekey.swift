/// Re-keying a subject after retention erased some of its templates (callers hold the write lock).
extension Segment {
    /// Seals the subject's remaining templates again under a fresh data key (a replacing batch),
    /// keeping their created-at stamps and vendor data; their old records and sealed slots are
    /// zeroed in place, then the old key is destroyed in place. A copy of the files made before
    /// then holds the erased templates only under a key that no longer exists once the master key
    /// that wrapped it is rotated out, as after a Delete.
    func rekey(_ subject: String) throws(StoreError) {
        let kept = catalog.withLock { $0.index.slots(of: subject) }.compactMap { template(at: $0) }
        let items = kept.enumerated().map { i, t in
            Item(subject: subject, vector: t.vector, vendorData: t.vendorData, mode: i == 0 ? .replace : .append,
                 createdAtMillis: t.createdAtMillis)
        }
        try appendBatch(items, maxPerSubject: Int.max)
    }

    /// The data key references the live slots' sealed records hold.
    func keyRefsInUse() -> Set<Int> {
        let live = catalog.withLock { $0.index.liveSlots() }
        return Set(live.compactMap { _, slot in
            guard slot < diskSlots else { return nil }
            let ref = Int((diskMap.base + format.sealedOffset(slot)).le(0, as: UInt32.self))
            return ref > 0 ? ref - 1 : nil
        })
    }
}
