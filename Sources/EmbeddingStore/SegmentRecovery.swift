/// Opening a generation: validates both headers, walks the log, trims a torn final batch,
/// reports damaged records, completes interrupted erasures and rebuilds the in-memory tables.
extension Segment {
    struct Recovered {
        var committedEnd: Int
        var nextSeq: UInt64
        var slotCount: Int
    }

    static func open(directory: String, generation: UInt64, logPath: String, slabPath: String,
                     dimension: Int, modelID: String, io: any FileIO, maxSlots: Int) throws(StoreError) -> (Segment, RecoveryReport) {
        let logFD = try io.openFile(logPath, create: false)
        let slabFD: Int32
        do throws(StoreError) { slabFD = try io.openFile(slabPath, create: false) } catch { io.close(logFD); throw error }
        let logSize: Int, slabSize: Int
        var header = [UInt8](repeating: 0, count: LogFormat.headerSize)
        let h: LogFormat.Header
        let format: SlabFormat
        do throws(StoreError) {
            logSize = try io.size(logFD, path: logPath)
            slabSize = try io.size(slabFD, path: slabPath)
            let n = try header.withMutableBytes { (b) throws(StoreError) -> Int in try io.read(logFD, into: b, at: 0, path: logPath) }
            h = try header.withBytes { (b) throws(StoreError) -> LogFormat.Header in try LogFormat.decodeHeader(b.baseAddress!, count: n, file: logPath) }
            guard h.dimension == dimension else { throw StoreError.dimensionMismatch(expected: dimension, found: h.dimension) }
            guard h.modelID == modelID else { throw StoreError.modelMismatch(expected: modelID, found: h.modelID) }
            let m = try header.withMutableBytes { (b) throws(StoreError) -> Int in try io.read(slabFD, into: b, at: 0, path: slabPath) }
            format = try header.withBytes { (b) throws(StoreError) -> SlabFormat in
                try SlabFormat.checkHeader(b.baseAddress!, count: m, file: slabPath, dimension: dimension, generation: h.generation, salt: h.salt)
            }
        } catch {
            io.close(logFD)
            io.close(slabFD)
            throw error
        }
        let segment = try Segment(directory: directory, generation: generation, salt: h.salt, modelID: modelID, format: format,
                                  logPath: logPath, slabPath: slabPath, logFD: logFD, slabFD: slabFD,
                                  logSize: logSize, slabSize: slabSize, io: io, maxSlots: maxSlots)
        let report = try segment.recover(fileSize: logSize)
        return (segment, report)
    }

    private struct Found {
        var offset: Int
        var seq: UInt64
        var batchFirstSeq: UInt64
        var units: Int
        var commit: Bool
    }

    private func recover(fileSize: Int) throws(StoreError) -> RecoveryReport {
        var report = RecoveryReport()
        var found: [Found] = []
        var offset = LogFormat.headerSize
        let base = logMap.base
        while offset + LogFormat.unit <= fileSize {
            if let (c, n) = LogFormat.check(base, end: fileSize, offset: offset, salt: salt) {
                found.append(Found(offset: offset, seq: c.seq, batchFirstSeq: c.batchFirstSeq, units: n, commit: c.commit))
                offset += n * LogFormat.unit
            } else {
                offset += LogFormat.unit
            }
        }
        // Only the final batch can be torn: it is complete when every sequence number from its
        // first to its commit record is present and its vectors match their checksums.
        var keep = found.count
        if let last = found.last {
            let first = last.batchFirstSeq
            let batchStart = found.lastIndex { $0.seq < first }.map { $0 + 1 } ?? 0
            let batch = found[batchStart...]
            let complete = batch.contains { $0.commit && $0.batchFirstSeq == first }
                && batch.count == Int(last.seq &- first) + 1
                && batch.allSatisfy { $0.batchFirstSeq == first && $0.seq >= first }
                && batch.allSatisfy { f in
                    guard case let .template(t) = LogFormat.body(base, offset: f.offset, units: f.units) else { return true }
                    return t.slot < maxSlots && format.vectorOffset(t.slot) + format.vectorBytes <= slabFileSize
                        && XXHash64.hash(base: slabMap.base + format.vectorOffset(t.slot), count: format.vectorBytes,
                                         seed: salt ^ UInt64(t.slot)) == t.vectorChecksum
                }
            if !complete { keep = batchStart }
        }
        let committedEnd = keep > 0 ? found[keep - 1].offset + found[keep - 1].units * LogFormat.unit : LogFormat.headerSize
        let nextSeq = keep > 0 ? found[keep - 1].seq + 1 : 0
        if committedEnd < fileSize {
            report.trimmedTailBytes = fileSize - committedEnd
            try io.truncate(logFD, to: committedEnd, path: logPath)
            try io.sync(logFD, path: logPath)
        }
        logEnd = committedEnd
        self.nextSeq = nextSeq

        // Replay in order; then account for what is missing.
        var replayed = 0
        var accounted: [Bool] = []
        var erasures: [LogFormat.EraseEntry] = []
        var slotCount = 0
        func account(_ slot: Int) {
            if slot >= accounted.count { accounted.append(contentsOf: repeatElement(false, count: slot + 1 - accounted.count)) }
            accounted[slot] = true
        }
        index.reserve(keep)
        for f in found[..<keep] {
            switch LogFormat.body(base, offset: f.offset, units: f.units) {
            case let .template(t)? where t.slot < maxSlots:
                replayed += 1
                let name = String(decoding: UnsafeRawBufferPointer(start: base + t.subjectOffset, count: t.subjectCount), as: UTF8.self)
                let number = index.add(slot: t.slot, to: name)
                slots.pointer[t.slot] = SlotInfo(recordOffset: Int64(f.offset), seq: f.seq, vectorChecksum: t.vectorChecksum,
                                                 subject: number, units: UInt16(f.units))
                slotCount = max(slotCount, t.slot + 1)
                account(t.slot)
            case let .erase(entries, allocated)?:
                replayed += 1
                slotCount = max(slotCount, min(allocated, maxSlots))
                for e in entries where e.slot < maxSlots {
                    erasures.append(e)
                    account(e.slot)
                    setTombstone(e.slot)
                    if let name = index.name(ofNumber: slots.pointer[e.slot].subject), index.slots(of: name).contains(e.slot) {
                        index.remove(slot: e.slot, from: name)
                    }
                }
            default:
                continue
            }
        }
        // Erased template records are zeros, so their sequence numbers are expected to be missing.
        var missingErased = 0
        if !erasures.isEmpty {
            let erasedSeqs = Set(erasures.map(\.seq))
            let present = found[..<keep].reduce(0) { n, f in erasedSeqs.contains(f.seq) ? n + 1 : n }
            missingErased = erasedSeqs.count - present
        }
        report.lostRecords = max(0, Int(nextSeq) - replayed - missingErased)
        for s in 0..<slotCount where s >= accounted.count || !accounted[s] {
            report.lostTemplateSlots.append(s)
            setTombstone(s)
            damagedSlots.insert(s)
        }
        // A slab shorter than its committed slots (truncated file) loses exactly the missing slots.
        let needed = format.fileSize(forSlots: slotCount)
        if slabFileSize < needed {
            for s in 0..<slotCount where format.vectorOffset(s) + format.vectorBytes > slabFileSize && !damagedSlots.contains(s) {
                if !isTombstoned(s) { report.lostTemplateSlots.append(s) }
                setTombstone(s)
                damagedSlots.insert(s)
                if let name = index.name(ofNumber: slots.pointer[s].subject) { index.remove(slot: s, from: name) }
            }
            try io.truncate(slabFD, to: needed, path: slabPath)
            try io.sync(slabFD, path: slabPath)
            slabFileSize = needed
        }
        report.lostTemplateSlots.sort()
        lostRecords = report.lostRecords
        report.erasuresCompleted = try completeErasures(erasures)
        committedSlots.store(slotCount, ordering: .releasing)
        publishSizes()
        return report
    }

    /// Re-zeroes any erased record or slot that still holds bytes (a crash interrupted it).
    private func completeErasures(_ entries: [LogFormat.EraseEntry]) throws(StoreError) -> Int {
        var redone = 0
        for e in entries {
            let logRange = e.offset..<min(e.offset + e.units * LogFormat.unit, logEnd)
            let logDirty = e.offset >= LogFormat.headerSize && !logRange.isEmpty && !isZero(logMap.base + e.offset, logRange.count)
            let slabDirty = format.vectorOffset(e.slot) + format.vectorBytes <= slabFileSize && !slotIsZero(e.slot)
            if logDirty || slabDirty {
                try zeroRegions([e], syncAfter: false)
                redone += 1
            }
        }
        if redone > 0 {
            try io.sync(slabFD, path: slabPath)
            try io.sync(logFD, path: logPath)
        }
        return redone
    }

    func slotIsZero(_ slot: Int) -> Bool {
        isZero(slabMap.base + format.auxOffset(slot), SlabFormat.auxBytes)
            && isZero(slabMap.base + format.sketchOffset(slot), format.padded)
            && isZero(slabMap.base + format.vectorOffset(slot), format.vectorBytes)
    }

    private func isZero(_ p: UnsafeRawPointer, _ count: Int) -> Bool {
        UnsafeRawBufferPointer(start: p, count: count).allSatisfy { $0 == 0 }
    }
}
