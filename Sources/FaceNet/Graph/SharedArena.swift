#if canImport(Glibc)
import Glibc
#endif

/// One block of activation memory for several `GraphRunner`s that never run at the same time
/// (one detector's networks for different image sizes): it grows to the largest plan among them,
/// so keeping many sizes prepared costs their weights, not an arena each.
final class SharedArena {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var bytes = 0

    init() throws { base = try alignedAllocate(bytes: 64) }

    deinit { free(base) }

    /// Makes room for `needed` bytes. Moves the block when it grows: callers take `base` afresh
    /// for every run, never across a `reserve`.
    func reserve(_ needed: Int) throws {
        guard needed > bytes else { return }
        let grown = try alignedAllocate(bytes: needed)
        memset(grown, 0, needed)
        free(base)
        base = grown
        bytes = needed
    }
}
