/// How a face's descriptor is formed from its aligned chip (docs/score-calibration.md measures
/// each on LFW, with its cost).
public enum DescriptorMode: Sendable, Equatable {
    /// One pass over the chip (dlib's default).
    case single
    /// The mean of the chip's descriptor and its left-right mirror image's: two passes.
    case mirrorAveraged
    /// The mean over the chip and `count - 1` slightly rotated, shifted and rescaled chips
    /// (face_recognition's num_jitters, but deterministic): `count` passes.
    case jittered(count: Int)

    /// Network passes per face.
    public var passes: Int {
        switch self {
        case .single: return 1
        case .mirrorAveraged: return 2
        case let .jittered(count): return max(1, count)
        }
    }
}
