#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many threads open decrypts on: one per online processor, at most 8 (past that, open is
/// bound by memory bandwidth, not AES). The store is opened before it serves, so open may take
/// every core.
enum OpenParallelism {
    static let threads = min(8, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
}
