/// dlib/cuda/tensor.h and dlib/serialize.h pieces the detector's network file needs.
///
/// bool: one ASCII byte, '1' or '0' (dlib's `serialize(bool)`).
/// tensor (resizable_tensor): int version 2; int64 num_samples, k, nr, nc; then
///   num_samples*k*nr*nc little-endian IEEE-754 float32 values, row-major (n, k, r, c).
/// alias_tensor: int version 1; int64 num_samples, k, nr, nc (a shape, no data).
extension DlibDeserializer {
    mutating func readDlibBool() throws -> Bool {
        let start = offset
        switch try readByte() {
        case UInt8(ascii: "1"): return true
        case UInt8(ascii: "0"): return false
        case let byte: throw DlibModelError.malformed("bool byte \(byte)", at: start)
        }
    }

    /// Reads a tensor's shape and returns its values.
    mutating func readTensor() throws -> (shape: [Int], values: [Float]) {
        let (shape, count) = try readTensorHeader()
        let raw = try readRaw(count: count * 4)
        var values = [Float](repeating: 0, count: count)
        raw.withUnsafeBytes { source in
            for i in 0..<count {
                values[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            }
        }
        return (shape, values)
    }

    /// Skips a tensor (training state such as cached outputs and gradients).
    mutating func skipTensor() throws {
        let (_, count) = try readTensorHeader()
        _ = try readRaw(count: count * 4)
    }

    mutating func readAliasTensorShape() throws -> [Int] {
        let start = offset
        let version = try readInt32()
        guard version == 1 else { throw DlibModelError.malformed("alias_tensor version \(version)", at: start) }
        return try readShape()
    }

    private mutating func readTensorHeader() throws -> (shape: [Int], count: Int) {
        let start = offset
        let version = try readInt32()
        guard version == 2 else { throw DlibModelError.malformed("tensor version \(version)", at: start) }
        let shape = try readShape()
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= remaining / 4 else { throw DlibModelError.truncated(at: offset) }
            count = product
        }
        return (shape, count)
    }

    private mutating func readShape() throws -> [Int] {
        var shape: [Int] = []
        for _ in 0..<4 {
            let start = offset
            let dimension = try readInt()
            guard dimension >= 0, dimension <= 1 << 30 else {
                throw DlibModelError.malformed("tensor dimension \(dimension)", at: start)
            }
            shape.append(Int(dimension))
        }
        return shape
    }
}
