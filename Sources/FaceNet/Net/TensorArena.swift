#if canImport(Glibc)
import Glibc
#endif

/// One 64-byte aligned block that holds every activation and scratch buffer of a network
/// instance, laid out by an `ArenaPlan`. Allocated once; nothing is allocated while running.
final class TensorArena {
    let plan: ArenaPlan
    let base: UnsafeMutableRawPointer

    init(plan: ArenaPlan) throws {
        self.plan = plan
        base = try alignedAllocate(bytes: plan.bytes)
        memset(base, 0, max(plan.bytes, 64))
    }

    deinit { free(base) }

    var bytes: Int { plan.bytes }

    /// The start of buffer `id`.
    @inline(__always)
    subscript(id: Int) -> UnsafeMutableRawPointer { base + plan.offsets[id] }

    @inline(__always)
    func floats(_ id: Int) -> UnsafeMutablePointer<Float> {
        (base + plan.offsets[id]).assumingMemoryBound(to: Float.self)
    }
}
