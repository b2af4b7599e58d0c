/// Overwrites a file with zeros, syncs, then unlinks it: unlinking alone leaves the bytes in free
/// blocks (and in any process that still maps the file), so old ciphertext of a compacted or
/// erased generation would outlive it. A missing file is not an error.
func shred(_ path: String, io: any FileIO) throws(StoreError) {
    do throws(StoreError) { try overwriteWithZeros(path, io: io) } catch {
        if case let .io(_, _, e) = error, e == 2 { return }
        throw error
    }
    try io.remove(path)
}

/// Zeroes a file's bytes in place and syncs them; its name stays (until a rename replaces it).
func overwriteWithZeros(_ path: String, io: any FileIO) throws(StoreError) {
    let fd = try io.openFile(path, create: false)
    defer { io.close(fd) }
    let size = try io.size(fd, path: path)
    let zeros = [UInt8](repeating: 0, count: min(size, 1 << 20))
    var offset = 0
    while offset < size {
        let n = min(zeros.count, size - offset)
        try zeros.withBytes { (z) throws(StoreError) in try io.write(fd, UnsafeRawBufferPointer(rebasing: z[0..<n]), at: offset, path: path) }
        offset += n
    }
    try io.sync(fd, path: path)
}
