import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One process at a time in a data directory: `serve` and `store check|compact` hold an
/// exclusive flock on DIR/LOCK while they run, so a compaction never races a serving process's
/// writes. The kernel drops the lock when the process exits, however it exits.
enum DataDirectoryLock {
    static func holdUntilExit(_ directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/LOCK"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CLIError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw CLIError(description: "\(directory) is in use by another process (a running `facematch serve`?)")
            }
            throw CLIError(description: "cannot lock \(path): \(String(cString: strerror(code)))")
        }
        // The descriptor stays open on purpose: the lock lasts as long as the process.
    }
}
