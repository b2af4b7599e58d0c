/// Enrolment, lookup, search and maintenance operations of `EmbeddingStore`.
extension EmbeddingStore {
    public func enroll(namespace: String, subject: String, vector: [Float], vendorData: [UInt8] = [],
                       mode: EnrollMode = .append) throws(StoreError) {
        try enroll(namespace: namespace, batch: [Enrollment(subject: subject, vector: vector, vendorData: vendorData, mode: mode)])
    }

    /// Enrols many templates in one durable step: all of them are acknowledged together, or none.
    public func enroll(namespace: String, batch: [Enrollment]) throws(StoreError) {
        let now = options.clock()
        var items: [Segment.Item] = []
        items.reserveCapacity(batch.count)
        for e in batch {
            try validate(subject: e.subject)
            try validate(vector: e.vector)
            guard e.vendorData.count <= LogFormat.maxVendorBytes else { throw .vendorDataTooLarge(byteCount: e.vendorData.count) }
            items.append(.init(subject: e.subject, vector: e.vector, vendorData: e.vendorData, mode: e.mode, createdAtMillis: now))
        }
        guard !items.isEmpty, let ns = try self.namespace(namespace, create: true) else { return }
        let maxPer = options.maxTemplatesPerSubject
        try ns.write { (seg) throws(StoreError) in try seg.appendBatch(items, maxPerSubject: maxPer) }
    }

    /// Refuses what `enroll` would refuse, without writing: a caller that records the enrolment
    /// elsewhere first (a replicated cache) must not accept one its store can never apply.
    public func check(namespace: String, _ e: Enrollment) throws(StoreError) {
        guard Self.isValidNamespace(namespace) else { throw .invalidNamespace(namespace) }
        try validate(subject: e.subject)
        try validate(vector: e.vector)
        guard e.vendorData.count <= LogFormat.maxVendorBytes else { throw .vendorDataTooLarge(byteCount: e.vendorData.count) }
    }

    /// The subject's intact templates, oldest first.
    public func templates(namespace: String, subject: String) throws(StoreError) -> [Template] {
        try validate(subject: subject)
        guard let seg = try self.namespace(namespace, create: false)?.segment else { return [] }
        let slots = seg.catalog.withLock { $0.index.slots(of: subject) }
        return slots.compactMap { seg.template(at: $0) }
    }

    /// Smallest distance between `vector` and the subject's templates; nil when it has none.
    public func verify(namespace: String, subject: String, vector: [Float]) throws(StoreError) -> Float? {
        try validate(subject: subject)
        try validate(vector: vector)
        guard let seg = try self.namespace(namespace, create: false)?.segment else { return nil }
        let slots = seg.catalog.withLock { $0.index.slots(of: subject) }
        return seg.bestDistance(SearchQuery(vector, format: seg.format, metric: seg.metric), slots: slots)
    }

    public func search(namespace: String, vector: [Float], topK: Int, maxDistance: Float = .infinity) throws(StoreError) -> [SearchHit] {
        try search(namespace: namespace, vector: vector, topK: topK, maxDistance: maxDistance, exhaustive: false)
    }

    /// Reference search scanning every Float32 vector; same results as `search`, slower.
    public func exhaustiveSearch(namespace: String, vector: [Float], topK: Int, maxDistance: Float = .infinity) throws(StoreError) -> [SearchHit] {
        try search(namespace: namespace, vector: vector, topK: topK, maxDistance: maxDistance, exhaustive: true)
    }

    private func search(namespace: String, vector: [Float], topK: Int, maxDistance: Float, exhaustive: Bool) throws(StoreError) -> [SearchHit] {
        try validate(vector: vector)
        guard (1...1000).contains(topK) else { throw .invalidTopK(topK) }
        guard let seg = try self.namespace(namespace, create: false)?.segment else { return [] }
        let q = SearchQuery(vector, format: seg.format, metric: seg.metric)
        let limit = maxDistance.isNaN ? -1 : maxDistance
        let raw = exhaustive ? seg.exhaustiveSearch(q, topK: topK, maxDistance: limit) : seg.search(q, topK: topK, maxDistance: limit)
        return seg.catalog.withLock { c in
            raw.compactMap { h in c.index.name(ofNumber: h.subject).map { SearchHit(subject: $0, distance: h.distance) } }
        }
    }

    /// Deletes the subject's templates; returns once their bytes are zeroed and synced.
    @discardableResult
    public func delete(namespace: String, subject: String) throws(StoreError) -> Bool {
        try validate(subject: subject)
        guard let ns = try self.namespace(namespace, create: false) else { return false }
        return try ns.write { (seg) throws(StoreError) -> Bool in try seg.deleteSubject(subject) }
    }

    /// Erases the namespace's templates created before `millis` (retention). A subject whose every
    /// template expires is deleted with its data key; otherwise the expired templates are erased
    /// (overwritten in place) and the subject is re-keyed: its remaining templates are sealed under
    /// a fresh data key and the old key is destroyed. Returns how many templates were erased.
    public func eraseTemplates(namespace: String, createdBefore millis: Int64) throws(StoreError) -> Int {
        guard let ns = try self.namespace(namespace, create: false) else { return 0 }
        return try ns.write { (seg) throws(StoreError) -> Int in
            let live = seg.catalog.withLock { $0.index.liveSlots() }
            var expired: [String: [Int]] = [:]
            var kept: Set<String> = []
            for (subject, slot) in live {
                if let created = seg.createdAt(slot), created < millis {
                    expired[subject, default: []].append(slot)
                } else {
                    kept.insert(subject)
                }
            }
            let whole = expired.keys.filter { !kept.contains($0) }.sorted()
            let slots = expired.values.flatMap { $0 }.sorted()
            try seg.erase(slots: slots, destroyingKeysOf: whole)
            for subject in expired.keys.filter(kept.contains).sorted() { try seg.rekey(subject) }
            return slots.count
        }
    }

    public func stats(namespace: String) throws(StoreError) -> NamespaceStats {
        guard let ns = try self.namespace(namespace, create: false) else {
            return NamespaceStats(subjects: 0, templates: 0, slots: 0, fileBytes: 0)
        }
        return Self.stats(ns.segment)
    }

    public func stats() -> StoreStats {
        StoreStats(namespaces: Dictionary(uniqueKeysWithValues: allNamespaces().map { ($0.0, Self.stats($0.1.segment)) }))
    }

    private static func stats(_ seg: Segment) -> NamespaceStats {
        let (subjects, templates) = seg.catalog.withLock { ($0.index.subjectCount, $0.index.templateCount) }
        return NamespaceStats(subjects: subjects, templates: templates,
                              slots: seg.committedSlots.load(ordering: .acquiring), fileBytes: seg.fileBytes)
    }

    /// Subject ids in UTF-8 byte order after `cursor` (exclusive), at most `limit`.
    public func listSubjects(namespace: String, after cursor: String? = nil, limit: Int = 100) throws(StoreError) -> [String] {
        guard let seg = try self.namespace(namespace, create: false)?.segment else { return [] }
        return seg.catalog.withLock { $0.index.list(after: cursor, limit: max(0, limit)) }
    }

    /// Walks every record of every namespace; damaged templates are reported and quarantined.
    public func integrityCheck() -> [String: IntegrityReport] {
        Dictionary(uniqueKeysWithValues: allNamespaces().map { ($0.0, $0.1.segment.integrityCheck()) })
    }

    /// Rewrites the namespace without erased slots, reclaiming their space.
    public func compact(namespace: String) throws(StoreError) -> CompactionReport {
        guard let ns = try self.namespace(namespace, create: false) else {
            return CompactionReport(templatesKept: 0, slotsReclaimed: 0, bytesBefore: 0, bytesAfter: 0, damagedTemplatesDropped: 0)
        }
        return try ns.compact()
    }

    private func validate(subject: String) throws(StoreError) {
        let n = subject.utf8.count
        guard (1...LogFormat.maxSubjectBytes).contains(n) else { throw .invalidSubject(byteCount: n) }
    }

    private func validate(vector: [Float]) throws(StoreError) {
        guard vector.count == dimension else { throw .vectorLength(expected: dimension, found: vector.count) }
        if let i = vector.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteVector(index: i) }
    }
}
