#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif

/// What a node's cache records beside its store: which cluster it copies and the last change
/// position it has applied. A small text file, `CLUSTER`, in the cache directory:
///
///     facematch-cache 1
///     cluster 6f1c...-uuid
///     position 1234
///
/// It is replaced atomically (written to `CLUSTER.tmp`, synced, renamed, directory synced) after
/// the changes up to `position` are durable in the store, so it never claims more than the store
/// holds. A missing or unreadable marker means the cache must be rebuilt.
public struct CacheMarker: Sendable, Equatable {
    public var clusterID: String
    public var position: Int64

    public init(clusterID: String, position: Int64) {
        self.clusterID = clusterID
        self.position = position
    }

    static let fileName = "CLUSTER"
    private static let magic = "facematch-cache 1"

    public var encoded: String {
        "\(Self.magic)\ncluster \(clusterID)\nposition \(position)\n"
    }

    /// nil for anything but a complete marker.
    public init?(decoding text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 4, lines[0] == Self.magic, lines[3].isEmpty,
              lines[1].hasPrefix("cluster "), lines[2].hasPrefix("position "),
              let position = Int64(lines[2].dropFirst("position ".count)), position >= 0 else { return nil }
        let cluster = String(lines[1].dropFirst("cluster ".count))
        guard !cluster.isEmpty else { return nil }
        self.init(clusterID: cluster, position: position)
    }

    /// The marker in `directory`; nil when missing or unreadable.
    public static func read(directory: String) -> CacheMarker? {
        let fd = open(directory + "/" + fileName, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        return CacheMarker(decoding: String(decoding: buffer[0..<n], as: UTF8.self))
    }

    public func write(directory: String) throws(ClusterError) {
        let path = directory + "/" + Self.fileName
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw .cache("cannot create \(tmp): errno \(errno)") }
        let bytes = Array(encoded.utf8)
        let written = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced else { throw .cache("cannot write \(tmp): errno \(errno)") }
        guard rename(tmp, path) == 0 else { throw .cache("cannot rename \(tmp): errno \(errno)") }
        let dir = open(directory, O_RDONLY)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }
}
