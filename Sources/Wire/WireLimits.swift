public enum WireLimits {
    /// Largest frame body accepted by default: two 5 MB images plus room for the envelope,
    /// subject id and vendor data.
    public static let defaultMaxFrameBytes = 10_000_000 + 512 * 1024
    /// Bytes of the length prefix in front of every frame.
    public static let lengthPrefixBytes = 4
}
