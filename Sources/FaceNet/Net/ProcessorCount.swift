#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// How many processors this process may run on: the one count the engine's default thread
/// counts and the server's worker shape both use.
///
/// On Linux it is the size of the CPU affinity mask (`sched_getaffinity`), which `taskset`,
/// cpusets and container runtimes narrow; the online-processor count (`sysconf`) and the
/// machine's core count would oversubscribe such a process.
public enum ProcessorCount {
    public static var available: Int {
        #if canImport(Glibc)
        if let count = affinityCount() { return max(1, count) }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
        #endif
    }

    #if canImport(Glibc)
    private typealias GetAffinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32

    /// Bits set in this process's affinity mask (up to 8192 CPUs). Looked up at run time: Glibc's
    /// Swift module leaves out the GNU-only declaration.
    private static func affinityCount() -> Int? {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "sched_getaffinity") else { return nil }
        let getAffinity = unsafeBitCast(symbol, to: GetAffinity.self)
        var mask = [UInt64](repeating: 0, count: 128)
        let status = mask.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress!) }
        guard status == 0 else { return nil }
        return mask.reduce(0) { $0 + $1.nonzeroBitCount }
    }
    #endif
}
