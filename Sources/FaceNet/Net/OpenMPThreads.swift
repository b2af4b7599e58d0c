#if canImport(Glibc)
import Glibc
#endif

/// The OpenMP thread count used by oneDNN on the calling thread.
///
/// libdnnl is built with libgomp. `omp_set_num_threads` sets the nthreads ICV of the calling
/// thread only (libgomp keeps a per-thread ICV copy once a thread sets it), so each server worker
/// can run its engine on one thread while a lone CLI call uses every core. The symbols are looked up
/// at run time because the linker only sees libgomp as an indirect dependency of libdnnl; when they
/// are missing (a non-OpenMP oneDNN build) setting the count is a no-op.
enum OpenMPThreads {
    private typealias SetFn = @convention(c) (Int32) -> Void
    private typealias GetFn = @convention(c) () -> Int32

    private struct Symbols: @unchecked Sendable {
        let set: SetFn?
        let get: GetFn?
    }

    private static let symbols: Symbols = {
        let handle = dlopen(nil, RTLD_NOW)
        let set = dlsym(handle, "omp_set_num_threads").map { unsafeBitCast($0, to: SetFn.self) }
        let get = dlsym(handle, "omp_get_max_threads").map { unsafeBitCast($0, to: GetFn.self) }
        return Symbols(set: set, get: get)
    }()

    static var isAvailable: Bool { symbols.set != nil && symbols.get != nil }

    /// Sets the count for parallel regions started by the calling thread.
    static func set(_ count: Int) {
        symbols.set?(Int32(clamping: max(1, count)))
    }

    /// The count the calling thread's next parallel region would use.
    static var current: Int { Int(symbols.get?() ?? 1) }
}
