/// A small seeded generator (SplitMix64): the simulator's fault choices must
/// repeat for a given seed, which `SystemRandomNumberGenerator` cannot do.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `rate`; a rate of 0 never draws, so turning a
    /// knob off does not shift the sequence the other knobs see.
    mutating func chance(_ rate: Double) -> Bool {
        guard rate > 0 else { return false }
        guard rate < 1 else { return true }
        return Double(next() >> 11) / Double(1 << 53) < rate
    }
}
