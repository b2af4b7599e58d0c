import CProtobuf
import Glibc

/// Helpers between Swift values and protobuf-c's C structs. Only this module touches CProtobuf.

public enum WireDecodeError: Error, Equatable, CustomStringConvertible {
    /// protobuf-c refused the bytes (bad varint, wrong wire type, truncated field...).
    case undecodable(message: String, bytes: Int)
    /// The bytes decoded but a field is out of its allowed range.
    case invalidField(String)

    public var description: String {
        switch self {
        case let .undecodable(message, bytes): return "\(bytes) bytes are not a valid \(message) message"
        case let .invalidField(what): return what
        }
    }
}

/// A serialized protobuf message the wire carries.
public protocol WireMessage: Sendable {
    init(serialized bytes: [UInt8]) throws(WireDecodeError)
    func serialized() -> [UInt8]
}

typealias CUnpack<C> = (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<C>?
typealias CFree<C> = (UnsafeMutablePointer<C>?, UnsafeMutablePointer<ProtobufCAllocator>?) -> Void
typealias CSize<C> = (UnsafePointer<C>?) -> Int
typealias CPack<C> = (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int

/// Unpacks `bytes` with protobuf-c, hands the C struct to `read`, and frees it.
func unpackMessage<C, T>(_ bytes: [UInt8], name: String, unpack: CUnpack<C>, free: CFree<C>,
                         read: (C) throws(WireDecodeError) -> T) throws(WireDecodeError) -> T {
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

/// Owns the C memory a message under construction points into; freed when the builder goes.
final class CMessageBuilder {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { Glibc.free(pointer) }
    }

    func string(_ value: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(value)!
        allocations.append(copy)
        return copy
    }

    func bytes(_ value: [UInt8]) -> ProtobufCBinaryData {
        guard !value.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let copy = malloc(value.count)!.assumingMemoryBound(to: UInt8.self)
        allocations.append(copy)
        value.withUnsafeBufferPointer { copy.update(from: $0.baseAddress!, count: value.count) }
        return ProtobufCBinaryData(len: value.count, data: copy)
    }

    /// A zeroed, initialised C message (`initialize` is the generated `..._init`).
    func message<C>(_ initialize: (UnsafeMutablePointer<C>?) -> Void) -> UnsafeMutablePointer<C> {
        let raw = calloc(1, MemoryLayout<C>.stride)!
        allocations.append(raw)
        let typed = raw.bindMemory(to: C.self, capacity: 1)
        initialize(typed)
        return typed
    }

    func array<C>(_ items: [UnsafeMutablePointer<C>]) -> UnsafeMutablePointer<UnsafeMutablePointer<C>?>? {
        guard !items.isEmpty else { return nil }
        let raw = calloc(items.count, MemoryLayout<UnsafeMutablePointer<C>?>.stride)!
        allocations.append(raw)
        let typed = raw.bindMemory(to: UnsafeMutablePointer<C>?.self, capacity: items.count)
        for (i, item) in items.enumerated() { typed[i] = item }
        return typed
    }
}
