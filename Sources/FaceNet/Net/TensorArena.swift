#if canImport(Glibc)
import Glibc
#endif

/// One 64-byte aligned block that holds every activation and scratch buffer of a network
/// instance, laid out by an `ArenaPlan`. Allocated once; nothing is allocated while running.
public final class TensorArena {
    public let plan: ArenaPlan
    public let base: UnsafeMutableRawPointer

    public init(plan: ArenaPlan) throws {
        self.plan = plan
        base = try alignedAllocate(bytes: plan.bytes)
        memset(base, 0, max(plan.bytes, 64))
    }

    deinit { free(base) }

    public var bytes: Int { plan.bytes }

    /// The start of buffer `id`.
    @inline(__always)
    public subscript(id: Int) -> UnsafeMutableRawPointer { base + plan.offsets[id] }

    @inline(__always)
    public func floats(_ id: Int) -> UnsafeMutablePointer<Float> {
        (base + plan.offsets[id]).assumingMemoryBound(to: Float.self)
    }
}
