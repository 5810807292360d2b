/// Time the calling thread spends waiting on PostgreSQL, for the module
/// signals: `PostgresConnection` adds each round trip, and a measured call
/// (`CallMeasurement`) counts what was added while it ran as its database time.
///
///     let started = SignalClock.monotonic()
///     defer { DatabaseTime.add(since: started) }
///     … send, wait for and read the results …
public enum DatabaseTime {
    /// Adds the time since `started` (a `SignalClock.monotonic()` reading) to this thread's total.
    @inline(__always)
    public static func add(since started: UInt64) {
        let now = SignalClock.monotonic()
        ThreadTally.current().pointee.databaseNanos &+= now &- min(started, now)
    }

    /// This thread's total so far, in nanoseconds.
    public static var threadTotal: UInt64 { ThreadTally.current().pointee.databaseNanos }
}
