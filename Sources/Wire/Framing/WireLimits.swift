public enum WireLimits {
    /// Largest frame body accepted by default (10 524 288 bytes): two 5 MiB images (10 485 760)
    /// plus 37 KiB for the envelope, key, subject id, vendor data (256 at most) and protobuf's
    /// tags and lengths, which together take well under 1 KiB.
    public static let defaultMaxFrameBytes = 10_000_000 + 512 * 1024
    /// Bytes of the length prefix in front of every frame.
    public static let lengthPrefixBytes = 4
}
