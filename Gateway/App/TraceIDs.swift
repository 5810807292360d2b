import HTTPServer
import Security
import Synchronization

/// New W3C trace and span ids for requests that arrive without a
/// `traceparent`, made for every such request: so not from the CSPRNG per
/// request (a locked DRBG call here costs more than answering `/health`),
/// but from 128 random bits drawn once and a counter, mixed by SplitMix64.
/// Ids are unique per process and unpredictable without the seed; a trace
/// id is a correlation handle, never a secret.
final class TraceIDs: Sendable {
    private let seed: (UInt64, UInt64)
    private let counter = Atomic<UInt64>(0)

    init() {
        let bytes = SecureRandom.bytes(16)
        func word(_ slice: ArraySlice<UInt8>) -> UInt64 { slice.reduce(0) { $0 << 8 | UInt64($1) } }
        seed = (word(bytes[0..<8]), word(bytes[8..<16]))
    }

    func next() -> TraceParent {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return TraceParent(
            traceID: Self.mix(seed.0 &+ n), Self.mix(seed.1 ^ n), spanID: Self.mix(seed.0 ^ seed.1 &+ n &* 0x9E37_79B9_7F4A_7C15))
    }

    /// SplitMix64's finalizer: a bijection, so distinct counters give distinct words.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
