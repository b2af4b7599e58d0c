import TemplateCrypto

/// Re-wrapping every namespace's data keys under a new master key, all or nothing.
///
/// 1. Each namespace writes `keys.new` (every key wrapped under the new master key) and syncs it.
/// 2. The file `ROTATION` (holding the new key's id) is renamed into place: the commit point.
/// 3. Each namespace's `keys` is overwritten with zeros in place, then `keys.new` renamed over it.
/// 4. `ROTATION` is removed.
/// Opening a store finishes step 3 when `ROTATION` exists and otherwise removes stray `keys.new`,
/// so after a crash the store is wholly under the old key or wholly under the new one.
enum MasterKeyRotation {
    static let markerName = "ROTATION"

    static func finishOrUndo(directory: String, io: any FileIO) throws(StoreError) {
        let root = directory + "/namespaces"
        let committed = try io.listDirectory(directory).contains(markerName)
        for ns in try io.listDirectory(root) where EmbeddingStore.isValidNamespace(ns) {
            let dir = root + "/" + ns
            guard try io.listDirectory(dir).contains("keys.new") else { continue }
            if committed {
                // Page images wrapped under the old key: erased first, while keys.new still marks
                // this namespace as unfinished, so a crash cannot leave them behind.
                try shred(dir + "/" + KeyPageJournal.fileName, io: io)
                try overwriteWithZeros(dir + "/" + SubjectKeys.fileName, io: io)
                try io.rename(dir + "/keys.new", to: dir + "/" + SubjectKeys.fileName)
            } else {
                try shred(dir + "/keys.new", io: io)
            }
            try io.syncDirectory(dir)
        }
        if committed {
            try io.remove(directory + "/" + markerName)
            try io.syncDirectory(directory)
        }
    }

    static func writeMarker(directory: String, newKey: MasterKeyID, io: any FileIO) throws(StoreError) {
        let tmp = directory + "/" + markerName + ".tmp"
        let fd = try io.openFile(tmp, create: true)
        do throws(StoreError) {
            try io.truncate(fd, to: 0, path: tmp)
            try newKey.bytes.withBytes { (b) throws(StoreError) in try io.write(fd, b, at: 0, path: tmp) }
            try io.sync(fd, path: tmp)
            io.close(fd)
        } catch {
            io.close(fd)
            throw error
        }
        try io.rename(tmp, to: directory + "/" + markerName)
        try io.syncDirectory(directory)
    }
}

/// What a rotation did.
public struct RotationReport: Sendable, Equatable {
    public var namespaces: Int
    /// Live data keys re-wrapped under the new master key.
    public var dataKeys: Int
    public var oldKeyID: String
    public var newKeyID: String
}

extension EmbeddingStore {
    /// Re-wraps every live data key under `newKey` (see MasterKeyRotation for the crash safety).
    /// Erasures interrupted by a crash were completed when the store opened, so no deleted
    /// subject's key is carried over; once the old master key is destroyed, copies of the store
    /// made before (backups, snapshots) no longer open any deleted subject's templates.
    public func rotateMasterKey(to newKey: MasterKey) throws(StoreError) -> RotationReport {
        let spaces = allNamespaces().map(\.1)
        return try masterKey.withLock { (current) throws(StoreError) -> RotationReport in
            let old = current
            try NamespaceStore.withWriters(spaces) { () throws(StoreError) in
                for ns in spaces { try ns.keys.prepareRotation(to: newKey, directory: ns.directory) }
                try MasterKeyRotation.writeMarker(directory: directory, newKey: newKey.id, io: options.fileIO)
                try MasterKeyRotation.finishOrUndo(directory: directory, io: options.fileIO)
                for ns in spaces { try ns.keys.adopt(newKey) }
            }
            current = newKey
            return RotationReport(namespaces: spaces.count, dataKeys: spaces.reduce(0) { $0 + $1.keys.subjectCount },
                                  oldKeyID: old.id.description, newKeyID: newKey.id.description)
        }
    }
}
