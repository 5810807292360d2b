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
/// Costs two CPU-clock and two monotonic-clock reads and one short lock
/// (the meter's) per call; allocates nothing.
public enum CallMeasurement {
    /// Where a measured call started, and the nested tally of its enclosing call, put aside.
    public struct Start: Sendable {
        let wall: UInt64
        let cpu: UInt64
        let database: UInt64
        let enclosingNestedCPU: UInt64
        let enclosingNestedDatabase: UInt64
    }

    @inline(__always)
    public static func begin() -> Start {
        let tally = ThreadTally.current()
        let start = Start(
            wall: SignalClock.monotonic(), cpu: SignalClock.threadCPU(), database: tally.pointee.databaseNanos,
            enclosingNestedCPU: tally.pointee.nestedCPUNanos,
            enclosingNestedDatabase: tally.pointee.nestedDatabaseNanos)
        // From here the tally collects this call's nested calls only.
        tally.pointee.nestedCPUNanos = 0
        tally.pointee.nestedDatabaseNanos = 0
        return start
    }

    /// Ends the call `start` began on this thread and records it; `failed`: its handler threw.
    @inline(__always)
    public static func end(_ start: Start, in meter: ModuleMeter, failed: Bool) {
        let cpuNow = SignalClock.threadCPU()
        let wallNow = SignalClock.monotonic()
        let tally = ThreadTally.current()
        let cpu = cpuNow &- min(start.cpu, cpuNow)
        let database = tally.pointee.databaseNanos &- min(start.database, tally.pointee.databaseNanos)
        let ownCPU = cpu - min(cpu, tally.pointee.nestedCPUNanos)
        let ownDatabase = database - min(database, tally.pointee.nestedDatabaseNanos)
        // To the enclosing call, this whole call (its own nested ones included) is nested.
        tally.pointee.nestedCPUNanos = start.enclosingNestedCPU &+ cpu
        tally.pointee.nestedDatabaseNanos = start.enclosingNestedDatabase &+ database
        meter.record(
            latency: wallNow &- min(start.wall, wallNow), cpu: ownCPU, database: ownDatabase, failed: failed,
            at: wallNow)
    }
}
