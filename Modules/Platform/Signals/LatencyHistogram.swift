/// Log-spaced latency bins, as in HdrHistogram: below 8 ns one bin per
/// nanosecond, then every power of two split into 8 equal bins. A bin is at
/// most 1/8 of its lower bound wide, so answering with its middle is within
/// 1/16 (6.25 %) of any latency in it: p50 and p99 well inside 10 %.
/// Latencies from 2^40 ns (about 18 minutes) up share the last bin.
///
/// Finding a bin is a leading-zero count and two shifts: no logarithm, no search.
public enum LatencyHistogram {
    static let subBinBits = 3
    static let subBins = 1 << subBinBits
    /// Powers of two covered: 2^3 … 2^39 after the 8 exact bins.
    static let octaves = 37
    public static let binCount = subBins + octaves * subBins

    @inline(__always)
    public static func bin(of nanoseconds: UInt64) -> Int {
        if nanoseconds < UInt64(subBins) { return Int(nanoseconds) }
        let octave = 63 - nanoseconds.leadingZeroBitCount
        let sub = Int((nanoseconds >> UInt64(octave - subBinBits)) & UInt64(subBins - 1))
        return min((octave - subBinBits + 1) * subBins + sub, binCount - 1)
    }

    /// The smallest latency of `bin`, and the bin's width.
    static func bounds(of bin: Int) -> (lower: UInt64, width: UInt64) {
        if bin < subBins { return (UInt64(bin), 1) }
        let octave = bin / subBins + subBinBits - 1
        let sub = UInt64(bin % subBins)
        let width = UInt64(1) << UInt64(octave - subBinBits)
        return ((UInt64(subBins) + sub) * width, width)
    }

    /// The latency a bin answers with: its middle.
    public static func representative(of bin: Int) -> Double {
        let (lower, width) = bounds(of: bin)
        return Double(lower) + Double(width - 1) / 2
    }

    /// The `fraction` quantile (0.5 for p50) of `counts` (by bin), in
    /// nanoseconds: the middle of the bin holding the ⌈fraction × total⌉-th
    /// smallest latency; 0 when empty.
    public static func quantile(_ fraction: Double, of counts: [UInt64]) -> Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return 0 }
        let rank = max(1, UInt64((fraction * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for (bin, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return representative(of: bin) }
        }
        return representative(of: counts.count - 1)
    }
}
