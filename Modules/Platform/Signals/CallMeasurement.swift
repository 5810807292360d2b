/// Measures one module call around its handler: wall time (the latency its
/// caller saw), the thread's CPU time, and the time it spent in PostgreSQL
/// round trips (`DatabaseTime`), recorded in the module's `ModuleMeter`.
///
///     let started = CallMeasurement.begin()
///     do {
///         let response = try handler(context, request)
///         CallMeasurement.end(started, in: meter, failed: false)
///         return response
///     } catch {
///         CallMeasurement.end(started, in: meter, failed: true)
///         throw error
///     }
///
/// Nested calls: a handler that calls another module in-process (Orders'
/// checkout calling Payments) runs that call on the same thread, inside its
/// own measurement. CPU and database time go to the innermost module only:
/// when a nested call ends, its CPU and database time are added to the
/// thread's "nested" tally, which the enclosing call subtracts from its own
/// figures when it ends. Latency is not split: each call's latency is the
/// whole time its caller waited, nested calls included, because that is what
/// the caller experiences. So the CPU and database columns of all modules
/// add up to what the handlers used, each counted once.
///
/// CPU is sampled by call tree. Reading a thread's CPU clock is a system
/// call (the vDSO serves only the wall clocks): about 2 µs where Banyan was
/// measured, ten times a trivial in-process call. So the CPU of a call tree
/// (an outermost call and everything nested in it) is measured when the
/// thread's last measured tree ended at least `sampleGap` ago — every call of
/// real traffic, where a request takes longer than that — and otherwise one
/// tree in `randomSampling`, at random: a tight loop of cheap calls pays the
/// clock on a few of them. A module's CPU per call is the mean over its
/// measured calls. Latency, database time and errors are recorded for every
/// call. Per call: two monotonic clock reads, a thread-specific lookup and
/// the meter's short lock; nothing is allocated.
public enum CallMeasurement {
    /// A call tree starting this long after the thread's last measured one ended has its CPU measured.
    static let sampleGap: UInt64 = 50_000
    /// Otherwise, one call tree in this many, at random.
    static let randomSampling: UInt64 = 256

    /// Where a measured call started, and the nested tally of its enclosing call, put aside.
    public struct Start: Sendable {
        let wall: UInt64
        /// The thread's CPU clock at the start; only read when `sampled`.
        let cpu: UInt64
        let sampled: Bool
        let database: UInt64
        let enclosingNestedCPU: UInt64
        let enclosingNestedDatabase: UInt64
    }

    @inline(__always)
    public static func begin() -> Start {
        let tally = ThreadTally.current()
        let wall = SignalClock.monotonic()
        if tally.pointee.depth == 0 {
            // A new call tree: its calls are all CPU-measured, or none is, so nested subtraction stays exact.
            tally.pointee.sampling =
                wall &- tally.pointee.lastSampleEnded >= sampleGap
                || tally.pointee.nextRandom() % randomSampling == 0
        }
        tally.pointee.depth += 1
        let sampled = tally.pointee.sampling
        let start = Start(
            wall: wall, cpu: sampled ? SignalClock.threadCPU() : 0, sampled: sampled,
            database: tally.pointee.databaseNanos, enclosingNestedCPU: tally.pointee.nestedCPUNanos,
            enclosingNestedDatabase: tally.pointee.nestedDatabaseNanos)
        // From here the tally collects this call's nested calls only.
        tally.pointee.nestedCPUNanos = 0
        tally.pointee.nestedDatabaseNanos = 0
        return start
    }

    /// Ends the call `start` began on this thread and records it; `failed`:
    /// its handler threw. Returns its latency in nanoseconds, for a caller
    /// that counts the call elsewhere too without reading the clock again.
    @inline(__always) @discardableResult
    public static func end(_ start: Start, in meter: ModuleMeter, failed: Bool) -> UInt64 {
        let cpuNow = start.sampled ? SignalClock.threadCPU() : 0
        let wallNow = SignalClock.monotonic()
        let tally = ThreadTally.current()
        tally.pointee.depth -= 1
        if start.sampled, tally.pointee.depth == 0 { tally.pointee.lastSampleEnded = wallNow }
        let cpu = cpuNow &- min(start.cpu, cpuNow)
        let database = tally.pointee.databaseNanos &- min(start.database, tally.pointee.databaseNanos)
        let ownCPU = cpu - min(cpu, tally.pointee.nestedCPUNanos)
        let ownDatabase = database - min(database, tally.pointee.nestedDatabaseNanos)
        // To the enclosing call, this whole call (its own nested ones included) is nested.
        tally.pointee.nestedCPUNanos = start.enclosingNestedCPU &+ cpu
        tally.pointee.nestedDatabaseNanos = start.enclosingNestedDatabase &+ database
        let latency = wallNow &- min(start.wall, wallNow)
        meter.record(latency: latency, cpu: start.sampled ? ownCPU : nil, database: ownDatabase, failed: failed, at: wallNow)
        return latency
    }
}
