#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX access to secret files (the master key here, the server's signing key in MatchRPC):
/// strict on read (size, type, mode), exclusive and synced on create. Errors are the `keyFile…`
/// cases of `TemplateCryptoError`; other key files map them to their own messages.
public enum KeyFile {
    /// Reads a regular file that neither group nor others may access and whose size is in `byteCounts`.
    public static func read(_ path: String, byteCounts: ClosedRange<Int>) throws(TemplateCryptoError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .keyFileIO(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .keyFileIO(path: path, operation: "fstat", errno: errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .keyFileNotRegular(path: path) }
        guard st.st_mode & 0o077 == 0 else { throw .keyFilePermissions(path: path, mode: UInt32(st.st_mode & 0o7777)) }
        guard byteCounts.contains(Int(st.st_size)) else { throw .keyFileLength(path: path, byteCount: Int(st.st_size)) }
        var bytes = [UInt8](repeating: 0, count: byteCounts.upperBound + 1)
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, $0.count - got, off_t(got)) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .keyFileIO(path: path, operation: "read", errno: errno) }
            if n == 0 { break }
            got += n
        }
        // The size is re-checked by what was read: a file that grew or shrank since fstat is refused.
        guard got == Int(st.st_size) else { throw .keyFileLength(path: path, byteCount: got) }
        bytes.removeLast(bytes.count - got)
        return bytes
    }

    /// Creates `path` with mode 0600 holding `contents`, synced; refuses (EEXIST) to replace a file.
    public static func create(_ path: String, contents: [UInt8]) throws(TemplateCryptoError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .keyFileIO(path: path, operation: "create", errno: errno) }
        var failure: TemplateCryptoError?
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        if written != contents.count {
            failure = .keyFileIO(path: path, operation: "write", errno: written < 0 ? errno : EIO)
        } else if fsync(fd) != 0 {
            failure = .keyFileIO(path: path, operation: "fsync", errno: errno)
        }
        close(fd)
        if let failure {
            unlink(path)
            throw failure
        }
        syncParent(of: path)
    }

    /// Makes the new directory entry durable; best effort, the key bytes themselves are synced.
    private static func syncParent(of path: String) {
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
