import Foundation
import Signals

/// `GET /admin/modules`: every module of the registry, the busiest consumer
/// of CPU first, with its calls over the last minute and the last hour as
/// this gateway ran them in-process (`ModuleSignals`), and one line on why
/// it stands where it does. `banyan modules` prints it as a table.
///
///     {"modules": [{"module": "orders", "why": "most CPU per minute (…)",
///                   "minute": {"calls": 120, "calls_per_minute": 120, "cpu_ms_per_call": 0.41, …},
///                   "hour": {…}}, …]}
package struct ModuleSignalsReport: Codable, Sendable {
    package let modules: [Module]

    package struct Module: Codable, Sendable {
        package let module: String
        package let minute: Window
        package let hour: Window
        package let why: String
    }

    /// One window's figures. Per-call figures are means, over the calls the
    /// module ran itself: CPU and database time of a nested call to another
    /// module count for that module, not the caller; latency is the whole wait.
    package struct Window: Codable, Sendable {
        package let calls: Int
        /// Calls over the window's minutes (the hour: as much of it as this gateway has run).
        package let callsPerMinute: Double
        package let cpuMsPerCall: Double
        /// CPU milliseconds per minute: what the list is sorted by.
        package let cpuMsPerMinute: Double
        package let p50Ms: Double
        package let p99Ms: Double
        /// Calls whose handler threw, refusals (a declined card) included, over all calls.
        package let errorRate: Double
        package let dbMsPerCall: Double

        private enum CodingKeys: String, CodingKey {
            case calls
            case callsPerMinute = "calls_per_minute"
            case cpuMsPerCall = "cpu_ms_per_call"
            case cpuMsPerMinute = "cpu_ms_per_minute"
            case p50Ms = "p50_ms"
            case p99Ms = "p99_ms"
            case errorRate = "error_rate"
            case dbMsPerCall = "db_ms_per_call"
        }

        init(_ reading: WindowReading) {
            let totals = reading.totals
            calls = Int(totals.calls)
            callsPerMinute = Self.rounded(reading.callsPerMinute)
            cpuMsPerCall = Self.rounded(totals.cpuMillisecondsPerCall)
            cpuMsPerMinute = Self.rounded(reading.cpuMillisecondsPerMinute)
            p50Ms = Self.rounded(totals.p50Milliseconds)
            p99Ms = Self.rounded(totals.p99Milliseconds)
            errorRate = Self.rounded(totals.errorRate)
            dbMsPerCall = Self.rounded(totals.databaseMillisecondsPerCall)
        }

        /// To the tenth of a microsecond: finer is noise, and keeps the JSON readable.
        private static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
    }

    init(_ readings: [ModuleReading]) {
        modules = readings.map {
            Module(module: $0.module, minute: Window($0.minute), hour: Window($0.hour), why: $0.why)
        }
    }
}
