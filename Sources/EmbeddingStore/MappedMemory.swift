#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only shared mapping of a file with a fixed, generous virtual reservation, so the base
/// address never moves while the file grows (readers keep raw pointers into it). Only bytes below
/// the file's size may be touched; the store never reads past what it has written and synced.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let reservedBytes: Int

    init(fd: Int32, reservedBytes: Int, path: String) throws(StoreError) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = (reservedBytes + page - 1) / page * page
        let p = mmap(nil, length, PROT_READ, MAP_SHARED | MAP_NORESERVE, fd, 0)
        guard let p, p != MAP_FAILED else { throw .io(operation: "mmap", path: path, errno: errno) }
        base = UnsafeRawPointer(p)
        self.reservedBytes = length
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), reservedBytes) }

    /// Unmaps the pages read so far (they stay in the page cache and fault back in on access), so
    /// a file read once at open does not count in the process's resident memory.
    func dropResidentPages() { _ = madvise(UnsafeMutableRawPointer(mutating: base), reservedBytes, MADV_DONTNEED) }
}

/// Zero-initialised anonymous memory reserved up front and backed lazily by the kernel, so
/// per-slot tables cost resident memory only for the slots actually used.
final class AnonymousArray<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    let capacity: Int
    private let bytes: Int

    /// `excludeFromCoreDumps` keeps plaintext templates out of core files (MADV_DONTDUMP).
    init(capacity: Int, excludeFromCoreDumps: Bool = false) throws(StoreError) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        bytes = max(page, (capacity * MemoryLayout<Element>.stride + page - 1) / page * page)
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { throw .io(operation: "mmap anonymous", path: "", errno: errno) }
        #if canImport(Glibc)
        if excludeFromCoreDumps { _ = madvise(p, bytes, MADV_DONTDUMP) }
        #endif
        pointer = p.bindMemory(to: Element.self, capacity: capacity)
        self.capacity = capacity
    }

    deinit { munmap(UnsafeMutableRawPointer(pointer), bytes) }
}
