/// Vectors travel to and from PostgreSQL as `bytea`: the Float32 values little-endian, 4 bytes each.
enum VectorBytes {
    static func encode(_ vector: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// nil when the byte count is not a whole number of Float32 values.
    static func decode<Bytes: Collection>(_ bytes: Bytes) -> [Float]? where Bytes.Element == UInt8 {
        guard bytes.count % 4 == 0 else { return nil }
        var vector: [Float] = []
        vector.reserveCapacity(bytes.count / 4)
        var bits: UInt32 = 0
        var shift: UInt32 = 0
        for byte in bytes {
            bits |= UInt32(byte) << shift
            shift += 8
            if shift == 32 {
                vector.append(Float(bitPattern: bits))
                bits = 0
                shift = 0
            }
        }
        return vector
    }
}
