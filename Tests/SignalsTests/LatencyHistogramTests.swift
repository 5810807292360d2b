import Foundation
import Testing

@testable import Signals

/// The latency bins answer p50 and p99 within 10 % of the exact percentiles.
@Suite struct LatencyHistogramTests {
    @Test func everyLatencyFallsInABinWithinAnEighthOfIt() {
        var previous = -1
        for nanoseconds in [UInt64(0), 1, 7, 8, 9, 15, 16, 17, 1_000, 1_023, 1_024, 123_456, 1_000_000_000, 1 << 39] {
            let bin = LatencyHistogram.bin(of: nanoseconds)
            #expect(bin >= previous, "bins grow with latency: \(nanoseconds)")
            previous = bin
            let (lower, width) = LatencyHistogram.bounds(of: bin)
            #expect(lower <= nanoseconds && nanoseconds < lower + width, "\(nanoseconds) in [\(lower), +\(width))")
            #expect(Double(width) <= max(1, Double(lower) / 8), "\(nanoseconds): bin too wide")
        }
        #expect(LatencyHistogram.bin(of: UInt64.max) == LatencyHistogram.binCount - 1)
    }

    /// A spread of 20 000 latencies from 50 µs to 400 ms (log-uniform, as
    /// latencies tend to be, plus a slow tail): each percentile from the bins
    /// against the exact one from the sorted values.
    @Test(arguments: [0.5, 0.9, 0.99])
    func percentilesAreWithinTenPercent(of fraction: Double) {
        var generator = SplitMix(seed: 11)
        var latencies: [UInt64] = (0..<19_000).map { _ in
            UInt64(50_000 * pow(2, Double(generator.next() % 10_000) / 10_000 * 10))
        }
        latencies += (0..<1_000).map { _ in 200_000_000 + generator.next() % 200_000_000 }
        var counts = [UInt64](repeating: 0, count: LatencyHistogram.binCount)
        for latency in latencies { counts[LatencyHistogram.bin(of: latency)] += 1 }
        let sorted = latencies.sorted()
        let exact = Double(sorted[Int((fraction * Double(sorted.count)).rounded(.up)) - 1])
        let estimate = LatencyHistogram.quantile(fraction, of: counts)
        #expect(abs(estimate - exact) / exact < 0.1, "p\(fraction * 100): \(estimate) for \(exact)")
    }

    @Test func anEmptyHistogramAnswersZero() {
        #expect(LatencyHistogram.quantile(0.99, of: [UInt64](repeating: 0, count: LatencyHistogram.binCount)) == 0)
    }
}

/// A small deterministic generator, so the distribution is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
