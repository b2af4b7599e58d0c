import TemplateCrypto

/// The write path of a segment: one durable batch per call. Callers hold the namespace's write lock.
/// A new subject's data key is made durable (in `keys`) before the batch that first uses it; a
/// vector is written sealed to the slab file and in plaintext only to the slab in memory.
extension Segment {
    struct Item {
        var subject: String
        var vector: [Float]
        var vendorData: [UInt8]
        var mode: EnrollMode
        var createdAtMillis: Int64
    }

    /// Appends templates (and the erasures they cause) as one durable batch, publishes them, then
    /// erases the replaced templates' bytes. Throws, leaving nothing visible, when a write fails.
    func appendBatch(_ items: [Item], maxPerSubject: Int) throws(StoreError) {
        guard !items.isEmpty else { return }
        let start = committedSlots.load(ordering: .relaxed)
        guard start + items.count <= maxSlots else { throw .capacityExceeded(limit: maxSlots) }

        // Plan which existing slots each enrolment retires.
        // Keyed by the exact UTF-8 bytes: String keys would merge canonically equivalent ids.
        var pending: [[UInt8]: [Int]] = [:]
        var retired: [Int] = []
        for (i, item) in items.enumerated() {
            let key = Array(item.subject.utf8)
            var current = pending[key] ?? catalog.withLock { $0.index.slots(of: item.subject) }
            if item.mode == .replace {
                retired += current
                current = []
            }
            while current.count >= maxPerSubject { retired.append(current.removeFirst()) }
            current.append(start + i)
            pending[key] = current
        }

        // Encode records: templates, then erase records, the last one flagged as the commit.
        var bytes: [UInt8] = []
        var newInfo: [SlotInfo] = []
        newInfo.reserveCapacity(items.count)
        let firstSeq = nextSeq
        var seq = firstSeq
        var eraseEntries: [LogFormat.EraseEntry] = []
        let eraseChunks = retired.isEmpty ? 0 : (retired.count + 999) / 1000
        for (i, item) in items.enumerated() {
            let slot = start + i
            let padding = [Float](repeating: 0, count: format.padded - format.dimension)
            let checksum = (item.vector + padding).withUnsafeBytes { XXHash64.hash($0, seed: salt ^ UInt64(slot)) }
            let offset = logEnd + bytes.count
            let before = bytes.count
            let record = LogFormat.TemplateRecord(slot: slot, subject: Array(item.subject.utf8), vendorData: item.vendorData,
                                                  createdAtMillis: item.createdAtMillis, vectorChecksum: checksum)
            let commit = eraseChunks == 0 && i == items.count - 1
            LogFormat.append(.template(record), common: .init(seq: seq, batchFirstSeq: firstSeq, commit: commit),
                             offset: offset, salt: salt, to: &bytes)
            newInfo.append(SlotInfo(recordOffset: Int64(offset), seq: seq, vectorChecksum: checksum, subject: 0,
                                    units: UInt16((bytes.count - before) / LogFormat.unit)))
            seq += 1
        }
        for slot in retired {
            let info = slot >= start ? newInfo[slot - start] : slots.pointer[slot]
            eraseEntries.append(.init(seq: info.seq, offset: Int(info.recordOffset), slot: slot, units: Int(info.units)))
        }
        for c in 0..<eraseChunks {
            let part = Array(eraseEntries[(c * 1000)..<min(eraseEntries.count, (c + 1) * 1000)])
            LogFormat.append(.erase(entries: part, slotsAllocated: start + items.count),
                             common: .init(seq: seq, batchFirstSeq: firstSeq, commit: c == eraseChunks - 1),
                             offset: logEnd + bytes.count, salt: salt, to: &bytes)
            seq += 1
        }
        guard logEnd + bytes.count <= logMap.reservedBytes else { throw .capacityExceeded(limit: maxSlots) }

        // A replaced subject gets a fresh data key; its old one is destroyed once the batch
        // commits, so copies made before hold the replaced templates under a key that is gone.
        let oldKeys = try replaceKeys(of: items.filter { $0.mode == .replace }.map(\.subject))
        do throws(StoreError) {
            let refs = try keys.ensureKeys(for: items.map(\.subject))
            try durablyWrite(log: bytes, slabSlots: start, items: items, keyRefs: refs)
        } catch {
            for (subject, ref) in oldKeys { try? keys.restore(subject, oldRef: ref) }
            throw error
        }

        catalog.withLock { c in
            for (i, item) in items.enumerated() {
                newInfo[i].subject = c.index.add(slot: start + i, to: item.subject)
                slots.pointer[start + i] = newInfo[i]
            }
            committedSlots.store(start + items.count, ordering: .releasing)
            for slot in retired {
                setTombstone(slot)
                if let name = c.index.name(ofNumber: slots.pointer[slot].subject) { c.index.remove(slot: slot, from: name) }
            }
        }
        logEnd += bytes.count
        nextSeq = seq
        publishSizes()
        if !eraseEntries.isEmpty {
            do throws(StoreError) { try zeroRegions(eraseEntries, syncAfter: true) } catch { pendingErasures += eraseEntries }
        }
        do throws(StoreError) { try keys.destroy(refs: oldKeys.map(\.ref)) } catch { pendingStaleKeys += oldKeys.map(\.ref) }
    }

    /// Gives each subject that has a data key a fresh one; returns the old keys' references.
    private func replaceKeys(of subjects: [String]) throws(StoreError) -> [(subject: String, ref: Int)] {
        var old: [(subject: String, ref: Int)] = []
        for subject in Set(subjects).sorted() {
            do throws(StoreError) {
                if let ref = try keys.replaceKey(of: subject) { old.append((subject, ref)) }
            } catch {
                for (subject, ref) in old { try? keys.restore(subject, oldRef: ref) }
                throw error
            }
        }
        return old
    }

    /// Deletes every template of `subject` and destroys its data key. Returns false when the
    /// subject has no templates.
    func deleteSubject(_ subject: String) throws(StoreError) -> Bool {
        let victims = catalog.withLock { $0.index.slots(of: subject) }
        guard !victims.isEmpty else { return false }
        try erase(slots: victims, destroyingKeysOf: [subject])
        return true
    }

    /// Erases templates: a durable erase record, then their record and slot bytes are zeroed in
    /// place (file and memory) and synced, then the data keys of `subjects` (whose last templates
    /// these are) are destroyed in place.
    func erase(slots victims: [Int], destroyingKeysOf subjects: [String]) throws(StoreError) {
        guard !victims.isEmpty else { return }
        let entries = victims.map { s in
            LogFormat.EraseEntry(seq: slots.pointer[s].seq, offset: Int(slots.pointer[s].recordOffset), slot: s, units: Int(slots.pointer[s].units))
        }
        var bytes: [UInt8] = []
        LogFormat.append(.erase(entries: entries, slotsAllocated: committedSlots.load(ordering: .relaxed)),
                         common: .init(seq: nextSeq, batchFirstSeq: nextSeq, commit: true), offset: logEnd, salt: salt, to: &bytes)
        try durablyWrite(log: bytes, slabSlots: committedSlots.load(ordering: .relaxed), items: [], keyRefs: [])
        catalog.withLock { c in
            for s in victims {
                setTombstone(s)
                if let name = c.index.name(ofNumber: slots.pointer[s].subject) { c.index.remove(slot: s, from: name) }
            }
        }
        logEnd += bytes.count
        nextSeq += 1
        publishSizes()
        do throws(StoreError) { try zeroRegions(entries, syncAfter: true) } catch {
            pendingErasures += entries
            pendingKeyDestructions += subjects
            throw error
        }
        do throws(StoreError) { try keys.destroy(subjects) } catch {
            pendingKeyDestructions += subjects
            throw error
        }
    }

    /// Retries erasures whose zeroing failed earlier.
    func retryPendingErasures() throws(StoreError) {
        if !pendingErasures.isEmpty {
            try zeroRegions(pendingErasures, syncAfter: true)
            pendingErasures = []
        }
        if !pendingStaleKeys.isEmpty {
            try keys.destroy(refs: pendingStaleKeys)
            pendingStaleKeys = []
        }
        if !pendingKeyDestructions.isEmpty {
            // A subject enrolled again since keeps the key its new templates use.
            let gone = catalog.withLock { c in pendingKeyDestructions.filter { c.index.slots(of: $0).isEmpty } }
            try keys.destroy(gone)
            pendingKeyDestructions = []
        }
    }

    /// Writes slab data for new slots and the log bytes, then syncs both. On failure the files are
    /// cut back to their committed sizes; if even that fails the error is `needsReopen`.
    private func durablyWrite(log bytes: [UInt8], slabSlots start: Int, items: [Item], keyRefs: [Int]) throws(StoreError) {
        let oldSlabSize = slabFileSize
        do throws(StoreError) {
            if !items.isEmpty {
                let needed = format.diskSize(forSlots: start + items.count)
                if needed > slabFileSize {
                    try io.truncate(slabFD, to: needed, path: slabPath)
                    slabFileSize = needed
                }
                try writeSlab(start: start, items: items, keyRefs: keyRefs)
            }
            try bytes.withBytes { (b) throws(StoreError) in try io.write(logFD, b, at: logEnd, path: logPath) }
            if !items.isEmpty { try io.sync(slabFD, path: slabPath) }
            try io.sync(logFD, path: logPath)
        } catch {
            // The cut must succeed for this process's view to stay consistent; its sync is best
            // effort (the next successful sync persists the size; recovery trims partial batches).
            do throws(StoreError) {
                try io.truncate(logFD, to: logEnd, path: logPath)
                if slabFileSize != oldSlabSize {
                    try io.truncate(slabFD, to: oldSlabSize, path: slabPath)
                    slabFileSize = oldSlabSize
                }
            } catch {
                throw .needsReopen(namespace: directory)
            }
            try? io.sync(logFD, path: logPath)
            throw error
        }
    }

    /// Puts aux, sketch and vector of consecutive slots into the memory slab and their sealed
    /// records into the slab file (one pwrite).
    private func writeSlab(start: Int, items: [Item], keyRefs: [Int]) throws(StoreError) {
        var sealed = [UInt8](repeating: 0, count: items.count * format.sealedStride)
        let cipher = TemplateCipher()
        for (i, item) in items.enumerated() {
            let slot = start + i
            item.vector.withUnsafeBufferPointer { storeSketch(of: $0, at: slot) }
            let vector = slabBase + format.vectorOffset(slot)
            item.vector.withUnsafeBytes { vector.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            (vector + format.dimension * 4).initializeMemory(as: UInt8.self, repeating: 0, count: (format.padded - format.dimension) * 4)
            guard let key = keys.entry(keyRefs[i])?.key else { throw .needsReopen(namespace: namespace) }
            let context = TemplateContext(namespace: namespace, subject: item.subject, modelID: modelID)
            let box = item.vector.withUnsafeBufferPointer { cipher.seal($0, with: key, for: context) }
            let at = i * format.sealedStride
            sealed.setLE(UInt32(keyRefs[i] + 1), at: at)
            sealed.replaceSubrange((at + 4)..<(at + 4 + box.count), with: box)
        }
        try sealed.withBytes { (b) throws(StoreError) in try io.write(slabFD, b, at: format.sealedOffset(start), path: slabPath) }
    }

    /// Overwrites erased records and sealed slots with zeros in place, and their memory slots.
    func zeroRegions(_ entries: [LogFormat.EraseEntry], syncAfter: Bool) throws(StoreError) {
        let zeros = [UInt8](repeating: 0, count: max(format.sealedStride, 65535 * LogFormat.unit / 64))
        for e in entries {
            if e.slot < maxSlots {
                (slabBase + format.auxOffset(e.slot)).initializeMemory(as: UInt8.self, repeating: 0, count: SlabFormat.auxBytes)
                (slabBase + format.sketchOffset(e.slot)).initializeMemory(as: UInt8.self, repeating: 0, count: format.padded)
                (slabBase + format.vectorOffset(e.slot)).initializeMemory(as: UInt8.self, repeating: 0, count: format.vectorBytes)
            }
            try zeros.withBytes { (z) throws(StoreError) in
                if e.offset >= LogFormat.headerSize && e.offset < logEnd {
                    let n = min(e.units * LogFormat.unit, logEnd - e.offset)
                    try io.write(logFD, UnsafeRawBufferPointer(rebasing: z[0..<min(n, z.count)]), at: e.offset, path: logPath)
                }
                if e.slot < diskSlots {
                    try io.write(slabFD, UnsafeRawBufferPointer(rebasing: z[0..<format.sealedStride]), at: format.sealedOffset(e.slot), path: slabPath)
                }
            }
        }
        if syncAfter {
            try io.sync(slabFD, path: slabPath)
            try io.sync(logFD, path: logPath)
        }
    }
}
