#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@_exported import TemplateCrypto

/// Tunables chosen when opening a store.
public struct StoreOptions: Sendable {
    /// Wraps the namespaces' data keys; required to open a store (`StoreError.masterKeyRequired`).
    public var masterKey: MasterKey?
    /// Templates kept per subject; enrolling one more erases the oldest.
    public var maxTemplatesPerSubject: Int
    /// Template slots a namespace may hold before compaction is needed. It sizes the virtual
    /// address reservations (about 700 bytes of address space per slot, not memory).
    public var maxSlotsPerNamespace: Int
    public var fileIO: any FileIO
    /// Milliseconds since 1970 for created-at stamps.
    public var clock: @Sendable () -> Int64
    /// What verify and search distances measure (`StoreMetric`); not stored, chosen at each open.
    public var metric: StoreMetric

    public init(masterKey: MasterKey?, maxTemplatesPerSubject: Int = 5, maxSlotsPerNamespace: Int = 16_777_216,
                fileIO: any FileIO = PosixFileIO(), clock: @escaping @Sendable () -> Int64 = StoreOptions.systemMillis,
                metric: StoreMetric = .euclidean) {
        self.masterKey = masterKey
        self.maxTemplatesPerSubject = max(1, min(maxTemplatesPerSubject, 64))
        self.maxSlotsPerNamespace = max(1, min(maxSlotsPerNamespace, Int(UInt32.max) / 2))
        self.fileIO = fileIO
        self.clock = clock
        self.metric = metric
    }

    @Sendable public static func systemMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
