import Atomics
import TemplateCrypto

/// The integrity check: walks every log record and every live template's record, sealed record
/// (decrypted again and compared), vector and search sketch. Damaged templates are quarantined so
/// they are never served.
extension Segment {
    func integrityCheck() -> IntegrityReport {
        var report = IntegrityReport()
        let end = publishedLogEnd.load(ordering: .acquiring)
        var offset = LogFormat.headerSize
        while offset + LogFormat.unit <= end {
            if let (_, _, n) = LogFormat.parse(logMap.base, end: end, offset: offset, salt: salt) {
                report.checkedRecords += 1
                offset += n * LogFormat.unit
            } else {
                offset += LogFormat.unit
            }
        }
        let (live, known, lost) = catalog.withLock { c in
            (c.index.liveSlots().map(\.slot), c.damagedSlots, c.lostRecords)
        }
        report.lostRecords = lost
        var damaged = known
        for slot in live.sorted() {
            report.checkedTemplates += 1
            if !templateIsIntact(slot) {
                atomicMemoryFence(ordering: .acquiring)
                if isTombstoned(slot) { report.checkedTemplates -= 1; continue }
                quarantine(slot)
                damaged.insert(slot)
            }
        }
        report.damagedTemplateSlots = damaged.sorted()
        return report
    }

    private func templateIsIntact(_ slot: Int) -> Bool {
        let info = slots.pointer[slot]
        let offset = Int(info.recordOffset)
        guard let parsed = LogFormat.parse(logMap.base, end: offset + Int(info.units) * LogFormat.unit, offset: offset, salt: salt),
              case let .template(t) = parsed.1, t.slot == slot, t.vectorChecksum == info.vectorChecksum,
              vectorIsIntact(slot), sealedRecordMatches(slot) else { return false }
        let vector = UnsafeBufferPointer(start: (slabBase + format.vectorOffset(slot)).assumingMemoryBound(to: Float.self), count: dimension)
        let expected = Quantizer.sketch(vector, padded: format.padded)
        let values = sketchAux(of: vector, raw: (expected.scale, expected.norm2))
        let aux = slabBase + format.auxOffset(slot)
        guard aux.load(fromByteOffset: 0, as: Float.self).bitPattern == values.scale.bitPattern,
              aux.load(fromByteOffset: 4, as: Float.self).bitPattern == values.norm2.bitPattern,
              aux.load(fromByteOffset: 8, as: Float.self).bitPattern == values.inverseNorm.bitPattern,
              aux.load(fromByteOffset: 12, as: UInt32.self) == 0 else { return false }
        return expected.codes.withUnsafeBytes { $0.elementsEqual(UnsafeRawBufferPointer(start: slabBase + format.sketchOffset(slot), count: format.padded)) }
    }
}

extension Segment {
    /// Whether the slot's sealed record still opens, for its own subject, to the vector in memory.
    func sealedRecordMatches(_ slot: Int) -> Bool {
        guard slot < diskSlots else { return false }
        let record = diskMap.base + format.sealedOffset(slot)
        let ref = Int(record.le(0, as: UInt32.self))
        let name = catalog.withLock { $0.index.name(ofNumber: slots.pointer[slot].subject) }
        guard ref > 0, let entry = keys.entry(ref - 1), let name, Array(entry.subject.utf8) == Array(name.utf8) else { return false }
        var vector = [Float](repeating: 0, count: dimension)
        let opened = vector.withUnsafeMutableBufferPointer { out -> Bool in
            do {
                try entry.key.open(UnsafeRawBufferPointer(start: record + 4, count: format.sealedBytes), dimension: dimension,
                                   for: TemplateContext(namespace: namespace, subject: entry.subject, modelID: modelID), into: out.baseAddress!)
                return true
            } catch {
                return false
            }
        }
        return opened && vector.withUnsafeBytes { $0.elementsEqual(UnsafeRawBufferPointer(start: slabBase + format.vectorOffset(slot), count: dimension * 4)) }
    }
}
