import Crypto

/// Up to `capacity` subjects' data keys wrapped together by the master key, for stores that must
/// unwrap a million keys at open: one AES-GCM operation per page instead of per key, while every
/// subject still has its own data key and deleting one rewrites (overwrites) only its page.
///
/// Sealed page, format version 1 (`byteCount(capacity:)` = 45 + 2 + capacity·161 bytes):
///
///   0   1  version (1)
///   1  16  id of the master key that wrapped it
///   17 12  AES-GCM nonce (random)
///   29  …  ciphertext of the page plaintext
///   end-16 16 AES-GCM tag
///
/// Page plaintext: u16 capacity (little-endian), then per entry 161 bytes: u8 subject length s
/// (0 = empty entry), 128 bytes subject UTF-8 zero padded, 32 bytes data key. The subject is
/// inside the authenticated plaintext, so a key is bound to its subject. Additional data:
/// "FMKP1" ‖ master key id ‖ u16-length-prefixed namespace ‖ u64 page number (little-endian),
/// so a page cannot be moved to another namespace or position undetected.
public enum WrappedKeyPage {
    public static let version: UInt8 = 1
    public static let maxSubjectBytes = 128
    static let entryBytes = 1 + maxSubjectBytes + DataKey.byteCount

    public static func byteCount(capacity: Int) -> Int { 1 + MasterKeyID.byteCount + 12 + 2 + capacity * entryBytes + 16 }

    /// One subject's key inside a page.
    public struct Entry: Sendable {
        public let subject: String
        public let key: DataKey

        public init(subject: String, key: DataKey) {
            self.subject = subject
            self.key = key
        }
    }

    static func aad(_ id: MasterKeyID, namespace: String, page: UInt64) -> [UInt8] {
        var out = Array("FMKP1".utf8) + id.bytes + lengthPrefixed([namespace])
        withUnsafeBytes(of: page.littleEndian) { out.append(contentsOf: $0) }
        return out
    }
}

extension MasterKey {
    /// Seals a page of entries (nil = empty). Subjects longer than 128 UTF-8 bytes are a caller bug.
    public func wrapPage(_ entries: [WrappedKeyPage.Entry?], namespace: String, page: UInt64) -> [UInt8] {
        var plain: [UInt8] = [UInt8(entries.count & 0xff), UInt8(entries.count >> 8)]
        plain.reserveCapacity(2 + entries.count * WrappedKeyPage.entryBytes)
        for entry in entries {
            let start = plain.count
            if let entry {
                let name = Array(entry.subject.utf8)
                precondition((1...WrappedKeyPage.maxSubjectBytes).contains(name.count), "subject id of \(name.count) bytes")
                plain.append(UInt8(name.count))
                plain += name
                plain += repeatElement(0, count: WrappedKeyPage.maxSubjectBytes - name.count)
                entry.key.key.withUnsafeBytes { plain.append(contentsOf: $0) }
            }
            plain += repeatElement(0, count: start + WrappedKeyPage.entryBytes - plain.count)
        }
        let box = try! AES.GCM.seal(plain, using: key, authenticating: WrappedKeyPage.aad(id, namespace: namespace, page: page))
        var out: [UInt8] = [WrappedKeyPage.version]
        out.reserveCapacity(WrappedKeyPage.byteCount(capacity: entries.count))
        out += id.bytes
        out += box.nonce
        out += box.ciphertext
        out += box.tag
        return out
    }

    /// Opens a page sealed by `wrapPage` with this master key for the same namespace and page number.
    public func unwrapPage(_ sealed: UnsafeRawBufferPointer, namespace: String, page: UInt64) throws(TemplateCryptoError) -> [WrappedKeyPage.Entry?] {
        let head = 1 + MasterKeyID.byteCount
        guard sealed.count >= WrappedKeyPage.byteCount(capacity: 0),
              (sealed.count - WrappedKeyPage.byteCount(capacity: 0)) % WrappedKeyPage.entryBytes == 0 else {
            throw .malformed(what: "wrapped key page", byteCount: sealed.count)
        }
        guard sealed[0] == WrappedKeyPage.version else { throw .unsupportedVersion(what: "wrapped key page", version: sealed[0]) }
        let found = MasterKeyID(bytes: Array(sealed[1..<head]))!
        guard found == id else { throw .wrongMasterKey(expected: id, found: found) }
        let plain: [UInt8]
        do {
            let box = try AES.GCM.SealedBox(combined: UnsafeRawBufferPointer(rebasing: sealed[head...]))
            plain = Array(try AES.GCM.open(box, using: key, authenticating: WrappedKeyPage.aad(id, namespace: namespace, page: page)))
        } catch {
            throw .authenticationFailed(what: "key page \(page) of namespace \(namespace)")
        }
        let capacity = Int(plain[0]) | Int(plain[1]) << 8
        guard 2 + capacity * WrappedKeyPage.entryBytes == plain.count else { throw .malformed(what: "wrapped key page", byteCount: sealed.count) }
        return (0..<capacity).map { i -> WrappedKeyPage.Entry? in
            let e = 2 + i * WrappedKeyPage.entryBytes
            let n = Int(plain[e])
            guard (1...WrappedKeyPage.maxSubjectBytes).contains(n) else { return nil }
            let keyStart = e + 1 + WrappedKeyPage.maxSubjectBytes
            return WrappedKeyPage.Entry(subject: String(decoding: plain[(e + 1)..<(e + 1 + n)], as: UTF8.self),
                                        key: DataKey(key: SymmetricKey(data: plain[keyStart..<(keyStart + DataKey.byteCount)])))
        }
    }
}
