/// Counts for one namespace.
public struct NamespaceStats: Sendable, Equatable {
    public var subjects: Int
    public var templates: Int
    /// Template slots used in the vector slab, including erased ones not yet compacted away.
    public var slots: Int
    /// Bytes of the namespace's files on disk.
    public var fileBytes: Int
}

/// Counts for the whole store.
public struct StoreStats: Sendable, Equatable {
    public var namespaces: [String: NamespaceStats]
    public var subjects: Int { namespaces.values.reduce(0) { $0 + $1.subjects } }
    public var templates: Int { namespaces.values.reduce(0) { $0 + $1.templates } }
    public var fileBytes: Int { namespaces.values.reduce(0) { $0 + $1.fileBytes } }
}

/// What opening a namespace found. Lost records are damage (checksum failures in the middle of a
/// file); a trimmed tail is the unacknowledged end of a write interrupted by a crash.
public struct RecoveryReport: Sendable, Equatable {
    /// Log records whose bytes failed their checksum and are not explained by an erasure.
    public var lostRecords: Int = 0
    /// Template slots that are never served because their record or vector is damaged.
    public var lostTemplateSlots: [Int] = []
    /// Bytes removed from the end of the log because they did not form a complete batch.
    public var trimmedTailBytes: Int = 0
    /// Erasures that were interrupted by a crash and completed during open.
    public var erasuresCompleted: Int = 0
    /// Templates of a plaintext (format 1) generation that opening encrypted into a new one.
    public var migratedPlaintextTemplates: Int = 0
    /// Key pages that failed authentication (a write torn by a crash, or damage) and were put
    /// back from `keys.journal`; nothing was lost.
    public var repairedKeyPages: [Int] = []

    public var isClean: Bool { lostRecords == 0 && lostTemplateSlots.isEmpty }
}

/// The result of walking every record and vector of one namespace.
public struct IntegrityReport: Sendable, Equatable {
    public var checkedRecords: Int = 0
    public var checkedTemplates: Int = 0
    /// Log records that failed their checksum.
    public var lostRecords: Int = 0
    /// Template slots whose record, vector or search sketch is damaged; they are never served.
    public var damagedTemplateSlots: [Int] = []

    public var isClean: Bool { lostRecords == 0 && damagedTemplateSlots.isEmpty }
}

/// What compaction did.
public struct CompactionReport: Sendable, Equatable {
    public var templatesKept: Int
    public var slotsReclaimed: Int
    public var bytesBefore: Int
    public var bytesAfter: Int
    /// Damaged templates found while copying; they are not carried over.
    public var damagedTemplatesDropped: Int
}
