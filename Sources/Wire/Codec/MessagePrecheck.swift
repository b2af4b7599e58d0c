/// Checks a serialized message's top-level fields on the raw bytes before protobuf-c sees them,
/// for what protobuf-c does not guard against:
/// - it keeps every unknown field as a separate allocation, so 10 MB of 2-byte fields would cost
///   hundreds of MB: more than `maxFields` top-level fields are refused;
/// - it accepts invalid UTF-8 (which Swift would then repair, so that two different subject ids
///   could become one) and returns strings NUL-terminated (so "a\0b" would arrive as "a").
///
/// The protobuf encoding walked here: each field is a key varint (field number << 3 | wire
/// type) then, by wire type, 0: a varint; 1: 8 bytes; 2: a varint length and that many bytes;
/// 5: 4 bytes. Groups (3, 4) and types 6, 7 are refused. Varints are at most 10 bytes. Every
/// length is checked against the bytes that remain before it is used.
enum MessagePrecheck {
    /// Far above any message of ours (the largest, IdentifyResult, has at most 50 candidates and
    /// a few warnings at the top level).
    static let maxFields = 256

    static func validate(_ bytes: [UInt8], message: String, stringFields: [UInt32],
                         maxFields: Int = maxFields) throws(WireDecodeError) {
        var index = 0
        var fields = 0
        let malformed = WireDecodeError.undecodable(message: message, bytes: bytes.count)
        while index < bytes.count {
            fields += 1
            guard fields <= maxFields else { throw .tooManyFields(message: message, limit: maxFields) }
            guard let key = readVarint(bytes, &index) else { throw malformed }
            let field = key >> 3
            switch key & 7 {
            case 0:
                guard readVarint(bytes, &index) != nil else { throw malformed }
            case 1, 5:
                let width = key & 7 == 1 ? 8 : 4
                guard bytes.count - index >= width else { throw malformed }
                index += width
            case 2:
                guard let length = readVarint(bytes, &index), length <= UInt64(bytes.count - index) else { throw malformed }
                let range = index..<(index + Int(length))
                index = range.upperBound
                if field <= UInt64(UInt32.max), stringFields.contains(UInt32(field)), !isCleanUTF8(bytes[range]) {
                    throw .invalidString(message: message, field: UInt32(field), bytes: range.count)
                }
            default:
                throw malformed
            }
        }
    }

    /// Reads a varint at `index`, advancing it; nil when it runs off the end or past 10 bytes.
    static func readVarint<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ index: inout Int) -> UInt64?
        where Bytes.Index == Int {
        var value: UInt64 = 0
        for shift in stride(from: UInt64(0), to: 70, by: 7) {
            guard index < bytes.endIndex else { return nil }
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
        }
        return nil
    }

    static func isCleanUTF8<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        !bytes.contains(0) && String(validating: bytes, as: UTF8.self) != nil
    }
}
