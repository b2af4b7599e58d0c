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
        var common: LogFormat.Common
        var body: LogFormat.ParsedBody
        var units: Int
    }

    private func recover(fileSize: Int) throws(StoreError) -> RecoveryReport {
        var report = RecoveryReport()
        var found: [Found] = []
        var offset = LogFormat.headerSize
        let base = logMap.base
        while offset + LogFormat.unit <= fileSize {
            if let (c, b, n) = LogFormat.parse(base, end: fileSize, offset: offset, salt: salt) {
                found.append(Found(offset: offset, common: c, body: b, units: n))
                offset += n * LogFormat.unit
            } else {
                offset += LogFormat.unit
            }
        }
        // Only the final batch can be torn: it is complete when every sequence number from its
        // first to its commit record is present and its vectors match their checksums.
        var keep = found.count
        if let last = found.last {
            let first = last.common.batchFirstSeq
            let batchStart = found.lastIndex { $0.common.seq < first }.map { $0 + 1 } ?? 0
            let batch = found[batchStart...]
            let complete = batch.contains { $0.common.commit && $0.common.batchFirstSeq == first }
                && batch.count == Int(last.common.seq - first) + 1
                && batch.allSatisfy { $0.common.batchFirstSeq == first && $0.common.seq >= first }
                && batch.allSatisfy { f in
                    guard case let .template(t) = f.body else { return true }
                    return t.slot < maxSlots && format.vectorOffset(t.slot) + format.vectorBytes <= slabFileSize
                        && XXHash64.hash(base: slabMap.base + format.vectorOffset(t.slot), count: format.vectorBytes, seed: salt ^ UInt64(t.slot)) == t.vectorChecksum
                }
            if !complete { keep = batchStart }
        }
        let committedEnd = keep > 0 ? found[keep - 1].offset + found[keep - 1].units * LogFormat.unit : LogFormat.headerSize
        let nextSeq = keep > 0 ? found[keep - 1].common.seq + 1 : 0
        if committedEnd < fileSize {
            report.trimmedTailBytes = fileSize - committedEnd
            try io.truncate(logFD, to: committedEnd, path: logPath)
            try io.sync(logFD, path: logPath)
        }
        logEnd = committedEnd
        self.nextSeq = nextSeq

        // Replay in order; then account for what is missing.
        var seenSeqs = 0
        var erasedSeqs = Set<UInt64>()
        var erasures: [LogFormat.EraseEntry] = []
        var slotCount = 0
        var liveSlots: [Int] = []
        index.reserve(keep)
        for f in found[..<keep] {
            seenSeqs += 1
            switch f.body {
            case let .template(t):
                guard t.slot < maxSlots else { report.lostRecords += 1; continue }
                let name = String(decoding: UnsafeRawBufferPointer(start: base + t.subjectOffset, count: t.subjectCount), as: UTF8.self)
                let number = index.add(slot: t.slot, to: name)
                slots.pointer[t.slot] = SlotInfo(recordOffset: Int64(f.offset), seq: f.common.seq, vectorChecksum: t.vectorChecksum,
                                                 subject: number, units: UInt16(f.units))
                slotCount = max(slotCount, t.slot + 1)
                liveSlots.append(t.slot)
            case let .erase(entries, allocated):
                slotCount = max(slotCount, min(allocated, maxSlots))
                for e in entries where e.slot < maxSlots {
                    erasedSeqs.insert(e.seq)
                    erasures.append(e)
                    setTombstone(e.slot)
                    if let name = index.name(ofNumber: slots.pointer[e.slot].subject), index.slots(of: name).contains(e.slot) {
                        index.remove(slot: e.slot, from: name)
                    }
                }
            }
        }
        // Erased template records are zeros, so their sequence numbers are expected to be missing.
        let presentErased = found[..<keep].reduce(0) { n, f in erasedSeqs.contains(f.common.seq) ? n + 1 : n }
        report.lostRecords += max(0, Int(nextSeq) - seenSeqs - (erasedSeqs.count - presentErased))
        var accounted = Set(liveSlots)
        for e in erasures { accounted.insert(e.slot) }
        for s in 0..<slotCount where !accounted.contains(s) {
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
