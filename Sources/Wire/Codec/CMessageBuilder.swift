import CProtobuf
import Glibc

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
