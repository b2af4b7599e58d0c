import Crypto

/// The SHA-256 of an API key. The server stores and compares only digests; comparing digests in
/// constant time means timing reveals neither the key nor how much of it matched.
public struct APIKeyDigest: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]

    public enum ParseError: Error, Equatable {
        /// The hex text had `length` characters instead of 64, or a non-hex character.
        case notSHA256Hex(length: Int)
    }

    public init(key: String) {
        bytes = Array(SHA256.hash(data: Array(key.utf8)))
    }

    /// From 64 hex digits (upper or lower case), as written in the config file.
    public init(hex: String) throws(ParseError) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { throw .notSHA256Hex(length: digits.count) }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
                throw .notSHA256Hex(length: digits.count)
            }
            out.append(high << 4 | low)
            index += 2
        }
        bytes = out
    }

    public var hex: String {
        bytes.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
    }

    /// Never prints the digest itself, so it cannot end up in a log by accident.
    public var description: String { "APIKeyDigest(…)" }

    /// Whether `key` hashes to this digest. The comparison is swift-crypto's `Digest ==`, which
    /// looks at every byte whatever the first difference (constant time).
    public func matches(key: String) -> Bool {
        SHA256.hash(data: Array(key.utf8)) == bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
