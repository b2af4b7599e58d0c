import EmbeddingStore

/// What `facematch store check|compact` prints (through `CLIOutput`, snake_case keys).
struct StoreReport: Codable, Equatable {
    struct Namespace: Codable, Equatable {
        var name: String
        var subjects: Int
        var templates: Int
        var slots: Int
        var fileBytes: Int
        /// What opening the namespace found.
        var recoveredLostRecords: Int
        var recoveredLostTemplateSlots: [Int]
        var trimmedTailBytes: Int
        var erasuresCompleted: Int
        /// `check`: the integrity check's findings.
        var checkedRecords: Int?
        var checkedTemplates: Int?
        var damagedTemplateSlots: [Int]?
        var lostRecords: Int?
        /// `compact`: what the rewrite did.
        var templatesKept: Int?
        var slotsReclaimed: Int?
        var bytesBefore: Int?
        var bytesAfter: Int?
        var damagedTemplatesDropped: Int?

        var clean: Bool {
            recoveredLostRecords == 0 && recoveredLostTemplateSlots.isEmpty && (damagedTemplateSlots ?? []).isEmpty
                && (lostRecords ?? 0) == 0 && (damagedTemplatesDropped ?? 0) == 0
        }
    }

    var dataDir: String
    var modelId: String
    var dimension: Int
    var clean: Bool
    var namespaces: [Namespace]

    private static func base(_ store: EmbeddingStore, _ name: String) throws -> Namespace {
        let stats = try store.stats(namespace: name)
        let recovery = store.recoveryReports()[name]
        return Namespace(name: name, subjects: stats.subjects, templates: stats.templates, slots: stats.slots,
                         fileBytes: stats.fileBytes, recoveredLostRecords: recovery?.lostRecords ?? 0,
                         recoveredLostTemplateSlots: recovery?.lostTemplateSlots ?? [],
                         trimmedTailBytes: recovery?.trimmedTailBytes ?? 0, erasuresCompleted: recovery?.erasuresCompleted ?? 0)
    }

    static func check(_ store: EmbeddingStore, directory: String) throws -> StoreReport {
        let integrity = store.integrityCheck()
        let namespaces = try store.namespaces().map { name -> Namespace in
            var n = try base(store, name)
            let found = integrity[name]
            n.checkedRecords = found?.checkedRecords ?? 0
            n.checkedTemplates = found?.checkedTemplates ?? 0
            n.damagedTemplateSlots = found?.damagedTemplateSlots ?? []
            n.lostRecords = found?.lostRecords ?? 0
            return n
        }
        return StoreReport(dataDir: directory, modelId: store.modelID, dimension: store.dimension,
                           clean: namespaces.allSatisfy { $0.clean }, namespaces: namespaces)
    }

    static func compact(_ store: EmbeddingStore, directory: String) throws -> StoreReport {
        let namespaces = try store.namespaces().map { name -> Namespace in
            var n = try base(store, name)
            let done = try store.compact(namespace: name)
            n.templatesKept = done.templatesKept
            n.slotsReclaimed = done.slotsReclaimed
            n.bytesBefore = done.bytesBefore
            n.bytesAfter = done.bytesAfter
            n.damagedTemplatesDropped = done.damagedTemplatesDropped
            return n
        }
        return StoreReport(dataDir: directory, modelId: store.modelID, dimension: store.dimension,
                           clean: namespaces.allSatisfy { $0.clean }, namespaces: namespaces)
    }
}
