import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: deadlines must not move when the wall clock does.
enum MonotonicClock {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// A configured duration in seconds, as nanoseconds; negative counts as zero.
    static func nanoseconds(_ seconds: Double) -> UInt64 {
        guard seconds > 0 else { return 0 }
        guard seconds < 1e9 else { return UInt64(1e18) }
        return UInt64(seconds * 1e9)
    }
}
