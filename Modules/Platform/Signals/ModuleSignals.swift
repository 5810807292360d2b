import Foundation

/// Every module's meter in one process: which module is worth moving out,
/// and why, measured instead of guessed. The gateway makes one over the
/// registry's modules and attaches each meter to its module's operation
/// table (`MeterSlot`); `GET /admin/modules` reads it.
///
///     let signals = ModuleSignals(modules: ["orders", "payments"])
///     table.meter.attach(signals.meter(for: "payments")!)
///     …
///     for reading in signals.readings() { print(reading.module, reading.minute.callsPerMinute, reading.why) }
public final class ModuleSignals: Sendable {
    /// Every module measured, by name, idle or not.
    public let modules: [String]
    private let meters: [String: ModuleMeter]
    private let clock: @Sendable () -> UInt64
    /// When measuring began, on `clock`: the hour's rates are over the part of it this process saw.
    private let started: UInt64

    /// - Parameter clock: nanoseconds, the clock calls are recorded on
    ///   (`SignalClock.monotonic`, what `CallMeasurement` records with); tests inject theirs.
    public init(modules: [String], clock: @escaping @Sendable () -> UInt64 = SignalClock.monotonic) {
        let names = Array(Set(modules)).sorted()
        self.modules = names
        meters = Dictionary(uniqueKeysWithValues: names.map { ($0, ModuleMeter(module: $0)) })
        self.clock = clock
        started = clock()
    }

    public func meter(for module: String) -> ModuleMeter? { meters[module] }

    /// Every module's last minute and last hour, the busiest first: by CPU
    /// milliseconds per minute over the last minute, then over the hour,
    /// then by name; each with a line on why it stands there.
    public func readings() -> [ModuleReading] {
        let now = clock()
        let lived = Double(now &- min(started, now)) / 60e9
        var readings = modules.map { module in
            let (minute, hour) = meters[module]!.totals(at: now)
            return ModuleReading(
                module: module, minute: WindowReading(totals: minute, minutes: 1),
                hour: WindowReading(totals: hour, minutes: min(lived, 60)))
        }
        readings.sort { a, b in
            if a.minute.cpuMillisecondsPerMinute != b.minute.cpuMillisecondsPerMinute {
                return a.minute.cpuMillisecondsPerMinute > b.minute.cpuMillisecondsPerMinute
            }
            if a.hour.cpuMillisecondsPerMinute != b.hour.cpuMillisecondsPerMinute {
                return a.hour.cpuMillisecondsPerMinute > b.hour.cpuMillisecondsPerMinute
            }
            return a.module < b.module
        }
        let busyMinute = readings.contains { $0.minute.totals.calls > 0 }
        let total = readings.reduce(0) { $0 + (busyMinute ? $1.minute : $1.hour).cpuMillisecondsPerMinute }
        for index in readings.indices {
            readings[index].why = Self.why(readings[index], rank: index, busyMinute: busyMinute, totalCPU: total)
        }
        return readings
    }

    /// The one thing an operator deciding what to extract should know of
    /// a module: idle, the top CPU consumer, failing often, mostly waiting
    /// on the database, or its CPU rank.
    static func why(_ reading: ModuleReading, rank: Int, busyMinute: Bool, totalCPU: Double) -> String {
        guard reading.hour.totals.calls > 0 else { return "no calls in the last hour" }
        let window = busyMinute ? reading.minute : reading.hour
        let when = busyMinute ? "last minute" : "last hour"
        let recent = reading.recent.totals
        let cpu = window.cpuMillisecondsPerMinute
        if rank == 0, cpu > 0 {
            let share = totalCPU > 0 ? Int((cpu / totalCPU * 100).rounded()) : 0
            return "most CPU per minute (\(Self.format(cpu)) ms/min, \(share)% of all modules', \(when))"
        }
        if recent.errorRate >= 0.05 {
            return "\(Int((recent.errorRate * 100).rounded()))% of its calls fail (\(recent.errors) of \(recent.calls))"
        }
        if recent.latencyMillisecondsPerCall > 0, recent.databaseNanos * 2 >= recent.latencyNanos {
            return "mostly waits on the database (\(Self.format(recent.databaseMillisecondsPerCall)) of "
                + "\(Self.format(recent.latencyMillisecondsPerCall)) ms per call)"
        }
        if window.totals.calls == 0 { return "idle in the last minute; \(reading.hour.totals.calls) calls in the hour" }
        return "\(Self.ordinal(rank + 1)) most CPU per minute (\(Self.format(cpu)) ms/min, \(when))"
    }

    static func format(_ milliseconds: Double) -> String {
        String(format: milliseconds >= 10 ? "%.0f" : milliseconds >= 1 ? "%.1f" : "%.2f", milliseconds)
    }

    static func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }
}
