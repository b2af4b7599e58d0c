/// Little-endian helpers for building and reading the store's byte formats.
extension Array where Element == UInt8 {
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func setLE<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        Swift.withUnsafeBytes(of: value.littleEndian) { raw in
            for i in 0..<raw.count { self[offset + i] = raw[i] }
        }
    }

    mutating func padTo(_ count: Int) {
        if self.count < count { append(contentsOf: repeatElement(0, count: count - self.count)) }
    }
}

extension UnsafeRawPointer {
    @inline(__always) func le<T: FixedWidthInteger>(_ offset: Int, as: T.Type = T.self) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` keeping the body's typed `StoreError`.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(StoreError) -> R) throws(StoreError) -> R {
        let r: Result<R, StoreError> = withUnsafeBytes { b in
            do throws(StoreError) { return .success(try body(b)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// `withUnsafeMutableBytes` keeping the body's typed `StoreError`.
    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws(StoreError) -> R) throws(StoreError) -> R {
        let r: Result<R, StoreError> = withUnsafeMutableBytes { b in
            do throws(StoreError) { return .success(try body(b)) } catch { return .failure(error) }
        }
        return try r.get()
    }
}
