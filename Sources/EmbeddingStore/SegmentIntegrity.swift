import Atomics

/// The integrity check: walks every log record and every live template's record, vector and
/// search sketch. Damaged templates are quarantined so they are never served.
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
              vectorIsIntact(slot) else { return false }
        let vector = UnsafeBufferPointer(start: (slabMap.base + format.vectorOffset(slot)).assumingMemoryBound(to: Float.self), count: dimension)
        let expected = Quantizer.sketch(vector, padded: format.padded)
        let aux = slabMap.base + format.auxOffset(slot)
        guard aux.load(fromByteOffset: 0, as: Float.self).bitPattern == expected.scale.bitPattern,
              aux.load(fromByteOffset: 4, as: Float.self).bitPattern == expected.norm2.bitPattern,
              aux.load(fromByteOffset: 8, as: UInt64.self) == 0 else { return false }
        return expected.codes.withUnsafeBytes { $0.elementsEqual(UnsafeRawBufferPointer(start: slabMap.base + format.sketchOffset(slot), count: format.padded)) }
    }
}
