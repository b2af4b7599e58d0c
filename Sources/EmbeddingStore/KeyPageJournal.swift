import TemplateCrypto

/// The key pages a write is about to put in place in `keys`, written and synced first to
/// `keys.journal`. A page is rewritten in place whenever a subject gets or loses a key, and a crash
/// can tear that write (SIGKILL stops a write between memory pages, a power loss anywhere): the
/// page would then fail authentication and lose the keys of up to 32 subjects. Opening repairs
/// such a page from the journal, whose images authenticate the same way (AES-GCM under the master
/// key, AAD with the page number).
///
/// File `keys.journal`, little-endian: magic "FMSTKJNL", u32 count, then per page u64 page number
/// and the page's `SubjectKeys.stride` sealed bytes, then XXH64 (seed 0) of everything before it;
/// zeros after that. Each write overwrites the previous images in place (zeros over any longer
/// tail), so a destroyed key does not outlive its page's rewrite here either.
final class KeyPageJournal {
    static let fileName = "keys.journal"
    static let magic: [UInt8] = Array("FMSTKJNL".utf8)

    let directory: String
    let io: any FileIO
    private var fd: Int32?
    private var length = 0

    init(directory: String, io: any FileIO) {
        self.directory = directory
        self.io = io
    }

    deinit { close() }

    var path: String { directory + "/" + Self.fileName }

    /// Writes and syncs `images` (page number, sealed bytes of exactly `stride`).
    func record(_ images: [(page: Int, bytes: [UInt8])]) throws(StoreError) {
        var b = Self.magic
        b.appendLE(UInt32(images.count))
        for (page, bytes) in images {
            b.appendLE(UInt64(page))
            b += bytes
        }
        b.appendLE(XXHash64.hash(b))
        let written = b.count
        if b.count < length { b += [UInt8](repeating: 0, count: length - b.count) }
        let fd = try opened()
        try b.withBytes { (raw) throws(StoreError) in try io.write(fd, raw, at: 0, path: path) }
        try io.sync(fd, path: path)
        length = max(length, written)
    }

    /// Forgets the open file (after a master-key rotation replaced the key file): the next
    /// `record` opens or creates it again.
    func close() {
        if let fd { io.close(fd) }
        fd = nil
        length = 0
    }

    private func opened() throws(StoreError) -> Int32 {
        if let fd { return fd }
        let existed = (try io.listDirectory(directory)).contains(Self.fileName)
        let fd = try io.openFile(path, create: true)
        if !existed { try io.syncDirectory(directory) }
        length = (try? io.size(fd, path: path)) ?? 0
        self.fd = fd
        return fd
    }

    /// The images of the last complete write, by page number; empty when there is no journal or
    /// its checksum fails (a write torn before its sync, whose in-place pages were never touched).
    static func images(directory: String, io: any FileIO, stride: Int) -> [Int: [UInt8]] {
        let path = directory + "/" + fileName
        guard (try? io.listDirectory(directory))?.contains(fileName) == true,
              let fd = try? io.openFile(path, create: false) else { return [:] }
        defer { io.close(fd) }
        guard let size = try? io.size(fd, path: path), size >= 20 else { return [:] }
        var b = [UInt8](repeating: 0, count: size)
        guard let n = try? b.withMutableBytes({ (raw) throws(StoreError) -> Int in try io.read(fd, into: raw, at: 0, path: path) }),
              n == size, Array(b[0..<8]) == magic else { return [:] }
        return b.withUnsafeBytes { raw -> [Int: [UInt8]] in
            let p = UnsafeRawPointer(raw.baseAddress!)
            let count = Int(p.le(8, as: UInt32.self))
            let end = 12 + count * (8 + stride)
            guard count <= 1024, end + 8 <= size, XXHash64.hash(Array(b[0..<end])) == p.le(end, as: UInt64.self) else { return [:] }
            var out: [Int: [UInt8]] = [:]
            for i in 0..<count {
                let at = 12 + i * (8 + stride)
                out[Int(p.le(at, as: UInt64.self))] = Array(b[(at + 8)..<(at + 8 + stride)])
            }
            return out
        }
    }
}
