/// The write path of a segment: one durable batch per call. Callers hold the namespace's write lock.
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

        try durablyWrite(log: bytes, slabSlots: start, items: items)

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
    }

    /// Deletes every template of `subject`: a durable erase record, then the bytes are zeroed and
    /// synced. Returns false when the subject has no templates.
    func deleteSubject(_ subject: String) throws(StoreError) -> Bool {
        let victims = catalog.withLock { $0.index.slots(of: subject) }
        guard !victims.isEmpty else { return false }
        let entries = victims.map { s in
            LogFormat.EraseEntry(seq: slots.pointer[s].seq, offset: Int(slots.pointer[s].recordOffset), slot: s, units: Int(slots.pointer[s].units))
        }
        var bytes: [UInt8] = []
        LogFormat.append(.erase(entries: entries, slotsAllocated: committedSlots.load(ordering: .relaxed)),
                         common: .init(seq: nextSeq, batchFirstSeq: nextSeq, commit: true), offset: logEnd, salt: salt, to: &bytes)
        try durablyWrite(log: bytes, slabSlots: committedSlots.load(ordering: .relaxed), items: [])
        catalog.withLock { c in
            for s in victims {
                setTombstone(s)
                c.index.remove(slot: s, from: subject)
            }
        }
        logEnd += bytes.count
        nextSeq += 1
        publishSizes()
        do throws(StoreError) { try zeroRegions(entries, syncAfter: true) } catch {
            pendingErasures += entries
            throw error
        }
        return true
    }

    /// Retries erasures whose zeroing failed earlier.
    func retryPendingErasures() throws(StoreError) {
        guard !pendingErasures.isEmpty else { return }
        try zeroRegions(pendingErasures, syncAfter: true)
        pendingErasures = []
    }

    /// Writes slab data for new slots and the log bytes, then syncs both. On failure the files are
    /// cut back to their committed sizes; if even that fails the error is `needsReopen`.
    private func durablyWrite(log bytes: [UInt8], slabSlots start: Int, items: [Item]) throws(StoreError) {
        let oldSlabSize = slabFileSize
        do throws(StoreError) {
            if !items.isEmpty {
                let needed = format.fileSize(forSlots: start + items.count)
                if needed > slabFileSize {
                    try io.truncate(slabFD, to: needed, path: slabPath)
                    slabFileSize = needed
                }
                try writeSlab(start: start, items: items)
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

    /// Writes aux, sketch and vector bytes for consecutive slots, one pwrite per region per chunk.
    private func writeSlab(start: Int, items: [Item]) throws(StoreError) {
        var i = 0
        while i < items.count {
            let slot = start + i
            let run = min(items.count - i, format.chunkSlots - slot % format.chunkSlots)
            var aux = [UInt8](), sketch = [UInt8](), vectors = [UInt8]()
            aux.reserveCapacity(run * SlabFormat.auxBytes)
            sketch.reserveCapacity(run * format.padded)
            vectors.reserveCapacity(run * format.vectorBytes)
            for item in items[i..<(i + run)] {
                let s = item.vector.withUnsafeBufferPointer { Quantizer.sketch($0, padded: format.padded) }
                aux.appendLE(s.scale.bitPattern)
                aux.appendLE(s.norm2.bitPattern)
                aux.appendLE(UInt64(0))
                s.codes.withUnsafeBytes { sketch.append(contentsOf: $0) }
                item.vector.withUnsafeBytes { vectors.append(contentsOf: $0) }
                vectors.padTo(vectors.count + (format.padded - format.dimension) * 4)
            }
            try aux.withBytes { (b) throws(StoreError) in try io.write(slabFD, b, at: format.auxOffset(slot), path: slabPath) }
            try sketch.withBytes { (b) throws(StoreError) in try io.write(slabFD, b, at: format.sketchOffset(slot), path: slabPath) }
            try vectors.withBytes { (b) throws(StoreError) in try io.write(slabFD, b, at: format.vectorOffset(slot), path: slabPath) }
            i += run
        }
    }

    /// Overwrites erased records and slots with zeros.
    func zeroRegions(_ entries: [LogFormat.EraseEntry], syncAfter: Bool) throws(StoreError) {
        let zeros = [UInt8](repeating: 0, count: max(format.vectorBytes, 65535 * LogFormat.unit / 64))
        for e in entries {
            try zeros.withBytes { (z) throws(StoreError) in
                if e.offset >= LogFormat.headerSize && e.offset < logEnd {
                    let n = min(e.units * LogFormat.unit, logEnd - e.offset)
                    try io.write(logFD, UnsafeRawBufferPointer(rebasing: z[0..<min(n, z.count)]), at: e.offset, path: logPath)
                }
                if format.vectorOffset(e.slot) + format.vectorBytes <= slabFileSize {
                    try io.write(slabFD, UnsafeRawBufferPointer(rebasing: z[0..<SlabFormat.auxBytes]), at: format.auxOffset(e.slot), path: slabPath)
                    try io.write(slabFD, UnsafeRawBufferPointer(rebasing: z[0..<format.padded]), at: format.sketchOffset(e.slot), path: slabPath)
                    try io.write(slabFD, UnsafeRawBufferPointer(rebasing: z[0..<format.vectorBytes]), at: format.vectorOffset(e.slot), path: slabPath)
                }
            }
        }
        if syncAfter {
            try io.sync(slabFD, path: slabPath)
            try io.sync(logFD, path: logPath)
        }
    }
}
