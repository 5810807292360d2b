import Signals

/// `GET /admin/modules`: which module should leave the monolith, and why,
/// measured: each module's calls per minute, CPU and database milliseconds
/// per call, p50/p99 latency and error rate over the last minute and hour
/// (`ModuleSignalsReport`). Operators only.
enum ModuleSignalRoutes {
    static func routes(signals: ModuleSignals) -> [Route] {
        let group = RouteGroup("/admin/modules", access: .operator)
        return [
            // Blocking: merging every module's 120 buckets takes tens of microseconds per module.
            group.get(summary: "Each module's calls, CPU, database time, latency and errors: the busiest first") { _ in
                ModuleSignalsReport(signals.readings())
            }
        ]
    }
}
