import CProtobuf

// Helpers between Swift values and protobuf-c's C structs. Only the Wire module imports
// CProtobuf: callers see Swift value types.

typealias CUnpack<C> = (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<C>?
typealias CFree<C> = (UnsafeMutablePointer<C>?, UnsafeMutablePointer<ProtobufCAllocator>?) -> Void
typealias CSize<C> = (UnsafePointer<C>?) -> Int
typealias CPack<C> = (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int

/// Prechecks `bytes` (field count, the top-level `strings` fields: see `MessagePrecheck`),
/// unpacks them with protobuf-c, hands the C struct to `read`, and frees it.
func unpackMessage<C, T>(_ bytes: [UInt8], name: String, strings: [UInt32] = [], unpack: CUnpack<C>, free: CFree<C>,
                         read: (C) throws(WireDecodeError) -> T) throws(WireDecodeError) -> T {
    try MessagePrecheck.validate(bytes, message: name, stringFields: strings)
    // protobuf-c wants a valid pointer even for zero bytes.
    let message: UnsafeMutablePointer<C>? = bytes.isEmpty
        ? withUnsafePointer(to: UInt8(0)) { unpack(nil, 0, $0) }
        : bytes.withUnsafeBufferPointer { unpack(nil, $0.count, $0.baseAddress) }
    guard let message else { throw .undecodable(message: name, bytes: bytes.count) }
    defer { free(message, nil) }
    return try read(message.pointee)
}

func packMessage<C>(_ message: UnsafeMutablePointer<C>, size: CSize<C>, pack: CPack<C>) -> [UInt8] {
    let count = size(message)
    return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        initialized = pack(message, buffer.baseAddress)
    }
}

func swiftString(_ pointer: UnsafePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer)
}

func swiftBytes(_ data: ProtobufCBinaryData) -> [UInt8] {
    guard data.len > 0, let base = data.data else { return [] }
    return [UInt8](UnsafeBufferPointer(start: base, count: data.len))
}

func swiftArray<C, T>(_ items: UnsafeMutablePointer<UnsafeMutablePointer<C>?>?, count: Int,
                      _ transform: (C) throws(WireDecodeError) -> T) throws(WireDecodeError) -> [T] {
    guard let items, count > 0 else { return [] }
    var result: [T] = []
    result.reserveCapacity(count)
    for i in 0..<count {
        guard let item = items[i] else { continue }
        result.append(try transform(item.pointee))
    }
    return result
}
