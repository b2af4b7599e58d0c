/// Reads dlib's portable serialization format (dlib/serialize.h), the format of the three
/// `.dat` model files.
///
/// Integers: one control byte, then `size` little-endian magnitude bytes.
///   control = size (low 4 bits, 1...8) | 0x80 when negative (signed types only).
///   Unsigned types mask the control with 0x8F, so bit 7 must be 0 for them in practice.
/// Floats (float and double alike): an int64 mantissa then an int16 exponent, both as integers
///   above; value = mantissa * 2^exponent. Exponents 32000/32001/32002 mean +inf/-inf/NaN.
/// Strings: an unsigned length, then that many bytes.
/// Booleans: one ASCII byte, '0' or '1' (dlib writes `out << '1'`).
///
/// Every read is bounds-checked and throws `DlibModelError` instead of trapping, so that a
/// truncated or corrupt model file is a startup error, never a crash or a wrong answer.
struct DlibDeserializer {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func readByte() throws -> UInt8 {
        guard offset < bytes.count else { throw DlibModelError.truncated(at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A signed integer (dlib's `int`, `long`, `int64`...).
    mutating func readInt() throws -> Int64 {
        let start = offset
        let control = try readByte()
        let size = Int(control & 0x0F)
        guard size >= 1, size <= 8 else { throw DlibModelError.malformed("bad integer control byte \(control)", at: start) }
        let magnitude = try readMagnitude(size: size, start: start)
        guard magnitude <= UInt64(Int64.max) else { throw DlibModelError.malformed("integer overflow", at: start) }
        return control & 0x80 != 0 ? -Int64(magnitude) : Int64(magnitude)
    }

    /// An unsigned integer (dlib's `unsigned long`, `size_t`, `uint32`...).
    mutating func readUInt() throws -> UInt64 {
        let start = offset
        let control = try readByte() & 0x8F
        let size = Int(control)
        guard size >= 1, size <= 8 else { throw DlibModelError.malformed("bad unsigned control byte \(control)", at: start) }
        return try readMagnitude(size: size, start: start)
    }

    /// A non-negative count, bounded so that a corrupt length cannot ask for huge allocations.
    mutating func readCount(limit: Int = 1 << 28) throws -> Int {
        let start = offset
        let value = try readUInt()
        guard value <= UInt64(limit) else { throw DlibModelError.malformed("count \(value) exceeds \(limit)", at: start) }
        return Int(value)
    }

    /// A signed int that must fit in Int32 (dlib serializes `int` fields such as versions this way).
    mutating func readInt32() throws -> Int32 {
        let start = offset
        let value = try readInt()
        guard let narrow = Int32(exactly: value) else { throw DlibModelError.malformed("int \(value) out of range", at: start) }
        return narrow
    }

    mutating func readDouble() throws -> Double { try readFloatingPoint() }

    /// A float exactly as dlib rebuilds it: `ldexp((float)mantissa, exponent)`.
    mutating func readFloat() throws -> Float { try readFloatingPoint() }

    /// `mantissa * 2^exponent` computed in `T`, as dlib's float_details converts to T.
    private mutating func readFloatingPoint<T: BinaryFloatingPoint>() throws -> T where T.Exponent == Int {
        let start = offset
        let mantissa = try readInt()
        let exponent = try readInt()
        switch exponent {
        case 32000: return .infinity
        case 32001: return -.infinity
        case 32002: return .nan
        case Int64(Int16.min)...Int64(Int16.max): return T(sign: .plus, exponent: Int(exponent), significand: T(mantissa))
        default: throw DlibModelError.malformed("float exponent \(exponent) out of range", at: start)
        }
    }

    mutating func readBool() throws -> Bool {
        let start = offset
        switch try readByte() {
        case UInt8(ascii: "0"): return false
        case UInt8(ascii: "1"): return true
        case let b: throw DlibModelError.malformed("bool byte \(b)", at: start)
        }
    }

    mutating func readString(limit: Int = 1 << 16) throws -> String {
        let count = try readCount(limit: limit)
        let raw = try readRaw(count: count)
        return String(decoding: raw, as: UTF8.self)
    }

    mutating func readRaw(count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw DlibModelError.truncated(at: offset) }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// Reads a string and checks it equals `expected` (dlib writes layer and object names this way).
    mutating func expectString(_ expected: String) throws {
        let start = offset
        let found = try readString()
        guard found == expected else {
            throw DlibModelError.malformed("expected \"\(expected)\", found \"\(found)\"", at: start)
        }
    }

    private mutating func readMagnitude(size: Int, start: Int) throws -> UInt64 {
        guard size <= remaining else { throw DlibModelError.truncated(at: start) }
        var value: UInt64 = 0
        for i in stride(from: size - 1, through: 0, by: -1) {
            value = (value << 8) | UInt64(bytes[offset + i])
        }
        offset += size
        return value
    }
}

enum DlibModelError: Error, Equatable, CustomStringConvertible {
    case fileUnreadable(path: String, reason: String)
    case truncated(at: Int)
    case malformed(String, at: Int)
    case unexpectedArchitecture(String)
    case checksumMismatch(file: String, expected: String, found: String)

    var description: String {
        switch self {
        case let .fileUnreadable(path, reason): return "model file \(path) cannot be read: \(reason)"
        case let .truncated(at): return "model file is truncated (needed more bytes at offset \(at))"
        case let .malformed(what, at): return "model file is malformed at offset \(at): \(what)"
        case let .unexpectedArchitecture(what): return "model file has an unexpected architecture: \(what)"
        case let .checksumMismatch(file, expected, found): return "model file \(file) has SHA-256 \(found), expected \(expected)"
        }
    }
}
