import Glibc

/// The two clocks a module call is measured by, in nanoseconds.
public enum SignalClock {
    /// CLOCK_MONOTONIC: latency and the windows' buckets must not move when the wall clock does.
    @inline(__always)
    public static func monotonic() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// CPU time of the calling thread: what a handler cost the machine,
    /// without the time it waited (on the database, on a lock, for the CPU).
    @inline(__always)
    public static func threadCPU() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
