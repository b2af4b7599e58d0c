public enum WireLimits {
    /// Largest frame body accepted by default: two 5 MiB images (10 MiB) plus 512 KiB for the
    /// envelope, subject id, vendor data and protobuf's few bytes of tags and lengths.
    public static let defaultMaxFrameBytes = 10 * 1024 * 1024 + 512 * 1024
    /// Bytes of the length prefix in front of every frame.
    public static let lengthPrefixBytes = 4
}
