/// Bounds applied to every decode, checked from the header before any pixel memory is allocated.
public struct DecodeLimits: Sendable, Equatable {
    /// Largest accepted input, in bytes.
    public var maxBytes: Int
    /// Largest accepted image, in pixels (width x height as stored in the header).
    ///
    /// 40 MP admits every common camera and phone photo (24 MP DSLRs, 48/50 MP phone sensors in
    /// their binned 12 MP or full 40+ MP modes up to 7300x5475) while bounding the transient
    /// memory of one decode: PNG/WebP decode at full size, 4 bytes per pixel at most (160 MB),
    /// and a progressive JPEG keeps all DCT coefficients (about 3 bytes per pixel for 4:2:0).
    /// A 5 MB file can declare a far larger image (a decompression bomb); this cap refuses it.
    public var maxPixels: Int
    /// Longer side of the working image; larger images are scaled down to it.
    public var maxWorkingSide: Int
    /// Decode large JPEGs at 1/2, 1/4 or 1/8 scale in the DCT domain before resampling.
    /// Much faster for large photos; off, the working image is exactly what a full decode plus
    /// the bilinear resize produces (the way the reference images were made).
    public var jpegDCTScaling: Bool

    public init(
        maxBytes: Int = 5_000_000,
        maxPixels: Int = 40_000_000,
        maxWorkingSide: Int = 800,
        jpegDCTScaling: Bool = true
    ) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        self.maxWorkingSide = maxWorkingSide
        self.jpegDCTScaling = jpegDCTScaling
    }

    public static let `default` = DecodeLimits()
}
