import CMalloc

/// Makes memory freed after large requests go back to the system.
///
/// glibc raises its mmap threshold each time a large mmapped block is freed (up to 32 MB), after
/// which 10 MB request buffers come from the heap and stay in the process after they are freed:
/// resident memory then keeps the high-water mark of the largest frames ever received. A fixed
/// threshold keeps every block of 256 KiB and more in its own mapping, returned on free.
public enum MemoryReturn {
    public static let mmapThreshold: Int32 = 256 * 1024

    public static func configure() {
        _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
    }
}
