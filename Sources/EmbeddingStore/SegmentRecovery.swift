import Atomics
import Dispatch
import TemplateCrypto

/// Opening a generation: validates both headers, decrypts the sealed slab into memory, walks the
/// log, trims a torn final batch, reports damaged records, completes interrupted erasures and
/// rebuilds the in-memory tables.
extension Segment {
    static func open(directory: String, generation: UInt64, logPath: String, slabPath: String, dimension: Int, modelID: String,
                     metric: StoreMetric, io: any FileIO, maxSlots: Int, namespace: String, keys: SubjectKeys) throws(StoreError) -> (Segment, RecoveryReport) {
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
        let segment = try Segment(directory: directory, generation: generation, salt: h.salt, modelID: modelID, format: format, metric: metric,
                                  logPath: logPath, slabPath: slabPath, logFD: logFD, slabFD: slabFD,
                                  logSize: logSize, slabSize: slabSize, io: io, maxSlots: maxSlots, namespace: namespace, keys: keys)
        // The log walk needs no plaintext, so it runs while the slab decrypts; recover waits for
        // the decryption before it first reads the slab.
        let decryption = DispatchGroup()
        let undecryptableSlots = UnsafeSendable(UnsafeMutablePointer<[Int]>.allocate(capacity: 1))
        undecryptableSlots.value.initialize(to: [])
        defer { undecryptableSlots.value.deinitialize(count: 1); undecryptableSlots.value.deallocate() }
        DispatchQueue.global().async(group: decryption) { undecryptableSlots.value.pointee = segment.decryptSlab() }
        defer { decryption.wait() }
        var report = try segment.recover(fileSize: logSize, beforeReadingSlab: { decryption.wait() })
        decryption.wait()
        let undecryptable = undecryptableSlots.value.pointee
        // A sealed slot that fails authentication (altered bytes, lost key) is damage: never served.
        for slot in undecryptable where slot < segment.committedSlots.load(ordering: .relaxed) && !segment.isTombstoned(slot) {
            segment.quarantine(slot)
            report.lostTemplateSlots.append(slot)
        }
        report.lostTemplateSlots.sort()
        segment.diskMap.dropResidentPages()
        return (segment, report)
    }

    private struct Found {
        var offset: Int
        var seq: UInt64
        var units: Int
        var commit: Bool
    }

    /// One pass over the log. Records are buffered per batch and replayed once a later batch
    /// proves theirs complete (a batch starts only after the previous one was synced); the final
    /// batch is replayed only if it is whole, otherwise it is the torn tail and is trimmed.
    /// The catalog is rebuilt unlocked in `found` and published once at the end.
    private func recover(fileSize: Int, beforeReadingSlab: () -> Void) throws(StoreError) -> RecoveryReport {
        var report = RecoveryReport()
        var found = Catalog()
        let base = logMap.base
        var replayed = 0
        var accounted: [Bool] = []
        var erasures: [LogFormat.EraseEntry] = []
        var erasedSeqsPresent: [UInt64] = []
        var slotCount = 0
        var appliedEnd = LogFormat.headerSize
        var appliedNextSeq: UInt64 = 0

        func account(_ slot: Int) {
            if slot >= accounted.count { accounted.append(contentsOf: repeatElement(false, count: max(slot + 1 - accounted.count, accounted.count))) }
            accounted[slot] = true
        }
        func apply(_ batch: [Found]) {
            for f in batch {
                switch LogFormat.body(base, offset: f.offset, units: f.units) {
                case let .template(t)? where t.slot < maxSlots:
                    replayed += 1
                    let name = String(decoding: UnsafeRawBufferPointer(start: base + t.subjectOffset, count: t.subjectCount), as: UTF8.self)
                    let number = found.index.add(slot: t.slot, to: name)
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
                        if let name = found.index.name(ofNumber: slots.pointer[e.slot].subject), found.index.slots(of: name).contains(e.slot) {
                            found.index.remove(slot: e.slot, from: name)
                            erasedSeqsPresent.append(e.seq)
                        }
                    }
                default:
                    continue
                }
            }
            if let last = batch.last {
                appliedEnd = last.offset + last.units * LogFormat.unit
                appliedNextSeq = last.seq + 1
            }
        }

        // Records are at least 64 bytes; assume about two templates per subject to avoid rehashing.
        found.index.reserve(max(0, fileSize - LogFormat.headerSize) / (2 * LogFormat.unit))
        var batch: [Found] = []
        var batchFirst: UInt64 = 0
        var offset = LogFormat.headerSize
        while offset + LogFormat.unit <= fileSize {
            guard let (c, n) = LogFormat.check(base, end: fileSize, offset: offset, salt: salt) else {
                offset += LogFormat.unit
                continue
            }
            if !batch.isEmpty && c.batchFirstSeq != batchFirst {
                apply(batch)
                batch.removeAll(keepingCapacity: true)
            }
            batchFirst = c.batchFirstSeq
            batch.append(Found(offset: offset, seq: c.seq, units: n, commit: c.commit))
            offset += n * LogFormat.unit
        }
        beforeReadingSlab()
        if let last = batch.last {
            let whole = batch.contains { $0.commit } && batch.count == Int(last.seq &- batchFirst) + 1
                && batch.allSatisfy { $0.seq >= batchFirst }
                && batch.allSatisfy { f in
                    guard case let .template(t) = LogFormat.body(base, offset: f.offset, units: f.units) else { return true }
                    return t.slot < maxSlots && t.slot < diskSlots
                        && XXHash64.hash(base: slabBase + format.vectorOffset(t.slot), count: format.vectorBytes,
                                         seed: salt ^ UInt64(t.slot)) == t.vectorChecksum
                }
            if whole { apply(batch) }
        }
        if appliedEnd < fileSize {
            report.trimmedTailBytes = fileSize - appliedEnd
            try io.truncate(logFD, to: appliedEnd, path: logPath)
            try io.sync(logFD, path: logPath)
        }
        logEnd = appliedEnd
        nextSeq = appliedNextSeq
        let nextSeq = appliedNextSeq

        // Erased template records are zeros, so their sequence numbers are expected to be missing
        // (except where a crash came before the zeroing and the record is still there).
        let missingErased = erasures.isEmpty ? 0 : Set(erasures.map(\.seq)).subtracting(erasedSeqsPresent).count
        report.lostRecords = max(0, Int(nextSeq) - replayed - missingErased)
        for s in 0..<slotCount where s >= accounted.count || !accounted[s] {
            report.lostTemplateSlots.append(s)
            setTombstone(s)
            found.damagedSlots.insert(s)
        }
        // A slab shorter than its committed slots (truncated file) loses exactly the missing slots.
        let needed = format.diskSize(forSlots: slotCount)
        if slabFileSize < needed {
            let present = diskSlots
            for s in present..<slotCount where !found.damagedSlots.contains(s) {
                if !isTombstoned(s) { report.lostTemplateSlots.append(s) }
                setTombstone(s)
                found.damagedSlots.insert(s)
                if let name = found.index.name(ofNumber: slots.pointer[s].subject) { found.index.remove(slot: s, from: name) }
            }
            try io.truncate(slabFD, to: needed, path: slabPath)
            try io.sync(slabFD, path: slabPath)
            slabFileSize = needed
        }
        report.lostTemplateSlots.sort()
        found.lostRecords = report.lostRecords
        catalog.withLock { [found] in $0 = found }
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
            let slabDirty = e.slot < diskSlots && !slotIsZero(e.slot)
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

    /// Whether the slot's sealed record in the file is all zeros (erased or never written).
    func slotIsZero(_ slot: Int) -> Bool {
        isZero(diskMap.base + format.sealedOffset(slot), format.sealedStride)
    }

    /// Decrypts every sealed slot of the file into the memory slab (vector, sketch, aux), on
    /// `OpenParallelism.threads` threads that claim chunks of slots from a shared counter, so a
    /// thread slowed by other load takes fewer. Returns the slots whose record failed
    /// authentication or names no key; their memory stays zero, which their checksum rejects.
    func decryptSlab() -> [Int] {
        let count = min(diskSlots, maxSlots)
        guard count > 0 else { return [] }
        let chunk = 4096
        let chunks = (count + chunk - 1) / chunk
        let lanes = min(chunks, OpenParallelism.threads)
        let next = ManagedAtomic<Int>(0)
        let failures = UnsafeSendable(UnsafeMutablePointer<[Int]>.allocate(capacity: lanes))
        failures.value.initialize(repeating: [], count: lanes)
        defer { failures.value.deinitialize(count: lanes); failures.value.deallocate() }
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            var failed: [Int] = []
            var context: (ref: Int, TemplateContext)? = nil
            let cipher = TemplateCipher()
            while case let c = next.loadThenWrappingIncrement(ordering: .relaxed), c < chunks {
                for s in c * chunk..<min((c + 1) * chunk, count) where !decryptSlot(s, cipher: cipher, context: &context) { failed.append(s) }
            }
            failures.value[lane] = failed
        }
        return (0..<lanes).flatMap { failures.value[$0] }.sorted()
    }

    /// `context` caches the last subject's context: a subject's templates often sit in a row, and
    /// then `cipher` (this thread's) also keeps its key schedule.
    private func decryptSlot(_ slot: Int, cipher: TemplateCipher, context cached: inout (ref: Int, TemplateContext)?) -> Bool {
        let record = diskMap.base + format.sealedOffset(slot)
        let ref = Int(record.le(0, as: UInt32.self))
        if ref == 0 { return isZero(record, format.sealedStride) }
        guard let entry = keys.unlockedEntry(ref - 1) else { return false }
        if cached?.ref != ref { cached = (ref, TemplateContext(namespace: namespace, subject: entry.subject, modelID: modelID)) }
        let context = cached!.1
        let vector = (slabBase + format.vectorOffset(slot)).assumingMemoryBound(to: Float.self)
        do {
            try cipher.open(UnsafeRawBufferPointer(start: record + 4, count: format.sealedBytes), dimension: dimension,
                            with: entry.key, for: context, into: vector)
        } catch {
            return false
        }
        storeSketch(of: UnsafeBufferPointer(start: vector, count: dimension), at: slot)
        return true
    }

    private func isZero(_ p: UnsafeRawPointer, _ count: Int) -> Bool {
        UnsafeRawBufferPointer(start: p, count: count).allSatisfy { $0 == 0 }
    }
}
