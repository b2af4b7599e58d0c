import TemplateCrypto

/// A namespace's vectors: sealed on disk in `slab.<generation>`, plaintext only in anonymous memory.
///
/// File `slab.<g>`, format version 2 (little-endian). Header, 4096 bytes:
///   0   8  magic "FMSTSLB1"
///   8   4  format version (2; version 1 held plaintext vectors, see PlaintextMigration)
///   12  4  dimension D
///   16  4  padded dimension P (D rounded up to a multiple of 16)
///   20  4  slots per chunk C of the memory layout (4096)
///   24  8  generation (equals the log's)
///   32  8  salt (equals the log's)
///   40  4  sealed slot stride S (4 + 29 + 4D rounded up to 16)
///   4088 8 XXH64 (seed 0) of bytes 0..<4088
/// Slot i is sealed at 4096 + i * S:
///   0   4  key reference + 1 (page * 32 + entry of the subject's data key in `keys`; 0 = empty)
///   4   …  `SealedTemplate` (AES-256-GCM under the subject's data key, AAD namespace/subject/model)
///   zero padding up to S. An erased slot is all zeros.
///
/// Memory (anonymous, never written to a file; filled by decrypting at open): chunk c starts at
/// 4096 + c * C * (16 + P + 4P) and holds three dense regions so a search streams only the small
/// sketches and touches full vectors only to re-rank a few candidates:
///   aux     C * 16 bytes: per slot f32 scale s, f32 s^2*|c|^2, f32 1/|v| (0 unless the store
///           compares directions: `StoreMetric.angular`, where s and s^2*|c|^2 describe v/|v|), 4 reserved
///   sketch  C * P bytes:  per slot int8 c with v ≈ s*c, |v_i - s*c_i| ≤ s/2 (see Quantizer)
///   vectors C * 4P bytes: per slot the Float32 vector, zero padded to P values
/// Slot i lives in chunk i / C at index i % C. The log record of a template holds the XXH64 of its
/// padded plaintext vector (seeded with the salt and slot), checked against memory after decryption;
/// aux and sketch are derived from the vector. An erased slot is all zeros in all three regions.
struct SlabFormat: Equatable {
    static let headerSize = 4096
    static let version: UInt32 = 2
    static let plaintextVersion: UInt32 = 1
    static let magic: [UInt8] = Array("FMSTSLB1".utf8)
    static let auxBytes = 16
    static let defaultChunkSlots = 4096

    let dimension: Int
    let padded: Int
    let chunkSlots: Int

    init(dimension: Int, chunkSlots: Int = SlabFormat.defaultChunkSlots) {
        self.dimension = dimension
        padded = (dimension + 15) / 16 * 16
        self.chunkSlots = chunkSlots
    }

    var vectorBytes: Int { padded * 4 }
    var sealedBytes: Int { SealedTemplate.byteCount(dimension: dimension) }
    var sealedStride: Int { (4 + sealedBytes + 15) / 16 * 16 }
    func sealedOffset(_ slot: Int) -> Int { Self.headerSize + slot * sealedStride }
    /// Size of the sealed file that holds every slot below `slots`.
    func diskSize(forSlots slots: Int) -> Int { sealedOffset(slots) }
    /// Slots wholly inside a sealed file of `size` bytes.
    func slots(inDiskSize size: Int) -> Int { max(0, (size - Self.headerSize) / sealedStride) }
    var chunkBytes: Int { chunkSlots * (Self.auxBytes + padded + vectorBytes) }

    func chunkBase(_ chunk: Int) -> Int { Self.headerSize + chunk * chunkBytes }
    func auxOffset(_ slot: Int) -> Int { chunkBase(slot / chunkSlots) + (slot % chunkSlots) * Self.auxBytes }
    func sketchOffset(_ slot: Int) -> Int {
        chunkBase(slot / chunkSlots) + chunkSlots * Self.auxBytes + (slot % chunkSlots) * padded
    }
    func vectorOffset(_ slot: Int) -> Int {
        chunkBase(slot / chunkSlots) + chunkSlots * (Self.auxBytes + padded) + (slot % chunkSlots) * vectorBytes
    }
    /// Memory size that holds every slot below `slots`.
    func memorySize(forSlots slots: Int) -> Int { chunkBase((slots + chunkSlots - 1) / chunkSlots) }

    func encodeHeader(generation: UInt64, salt: UInt64) -> [UInt8] {
        var b = Self.magic
        b.appendLE(Self.version)
        b.appendLE(UInt32(dimension))
        b.appendLE(UInt32(padded))
        b.appendLE(UInt32(chunkSlots))
        b.appendLE(generation)
        b.appendLE(salt)
        b.appendLE(UInt32(sealedStride))
        b.padTo(Self.headerSize - 8)
        b.appendLE(XXHash64.hash(b))
        return b
    }

    /// Checks a slab header against the log header it must pair with.
    static func checkHeader(_ p: UnsafeRawPointer, count: Int, file: String, dimension: Int,
                            generation: UInt64, salt: UInt64) throws(StoreError) -> SlabFormat {
        guard count >= headerSize else { throw .corruptHeader(file: file, reason: "file has \(count) bytes, header needs \(headerSize)") }
        guard XXHash64.hash(base: p, count: headerSize - 8, seed: 0) == p.le(headerSize - 8, as: UInt64.self) else {
            throw .corruptHeader(file: file, reason: "header checksum mismatch")
        }
        guard Array(UnsafeRawBufferPointer(start: p, count: 8)) == magic else { throw .corruptHeader(file: file, reason: "bad magic") }
        let v: UInt32 = p.le(8)
        if v == plaintextVersion { throw .plaintextStore(file: file) }
        guard v == version else { throw .corruptHeader(file: file, reason: "format version \(v), supported \(version)") }
        let d = Int(p.le(12, as: UInt32.self))
        guard d == dimension else { throw .dimensionMismatch(expected: dimension, found: d) }
        let chunk = Int(p.le(20, as: UInt32.self))
        guard chunk >= 1 && chunk <= 1 << 20 else { throw .corruptHeader(file: file, reason: "chunk size \(chunk)") }
        guard p.le(24, as: UInt64.self) == generation, p.le(32, as: UInt64.self) == salt else {
            throw .corruptHeader(file: file, reason: "slab does not belong to the log of generation \(generation)")
        }
        let format = SlabFormat(dimension: d, chunkSlots: chunk)
        guard Int(p.le(16, as: UInt32.self)) == format.padded else { throw .corruptHeader(file: file, reason: "padded dimension") }
        guard Int(p.le(40, as: UInt32.self)) == format.sealedStride else { throw .corruptHeader(file: file, reason: "sealed slot stride") }
        return format
    }
}
