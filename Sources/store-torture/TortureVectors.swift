/// Deterministic vectors shared by the crash-test child and its parent test (which keeps an
/// identical copy, since tests cannot import an executable target's code portably).
enum TortureVectors {
    static let dimension = 128
    /// The fixed master key of torture stores (the tests' `testMasterKey`): 32 bytes of 0x5a.
    static let masterKeyBytes = [UInt8](repeating: 0x5a, count: 32)

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func vector(_ n: Int, _ k: Int) -> [Float] {
        var g = SplitMix(state: UInt64(n) &* 1_000_003 &+ UInt64(k))
        return (0..<dimension).map { _ in Float(Int(g.next() % 2001) - 1000) / 4000 }
    }
}
