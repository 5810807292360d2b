import Dispatch
import Platform
import Synchronization

/// Module calls as the routed transport makes them, by module, operation
/// and path (`CallPath`):
///
/// - `banyan_module_calls_total{module,operation,path,outcome}` (`ok`, `error`)
/// - `banyan_module_call_duration_seconds{module,operation,path}`
/// - `banyan_module_call_errors_total{module,operation,path,code}`, the code
///   of the problem the call failed with (`internal_error` for an error that is none).
///
/// A call finds its `Series` by the operation's per-process number and its
/// path, without a lock or a hash, and records into it with atomic
/// operations only: the in-process path must stay far under a microsecond.
public final class ModuleCallMetrics: Sendable {
    /// The process's: module calls are made deep in shared code with no instance to hand.
    public static let process = ModuleCallMetrics(registry: .process)

    private let calls: MetricFamily<Counter>
    private let durations: MetricFamily<Histogram>
    private let errors: MetricFamily<Counter>
    /// Series by `slot(index, path)`, nil until first called.
    private let resolved = Published<[Series?]>([])

    public init(registry: MetricsRegistry) {
        let labels = ["module", "operation", "path"]
        calls = registry.counter(
            "banyan_module_calls_total", help: "Module facade calls, by module, operation, path and outcome",
            labels: labels + ["outcome"])
        durations = registry.histogram(
            "banyan_module_call_duration_seconds", help: "Seconds a module facade call took, by path", labels: labels)
        errors = registry.counter(
            "banyan_module_call_errors_total", help: "Failed module facade calls, by the problem code they failed with",
            labels: labels + ["code"])
    }

    /// The series of `operation` (whose per-process number is `index`,
    /// `Operation.index`) served by `path`.
    @inline(__always)
    public func series(module: String, operation: String, index: Int, path: CallPath) -> Series {
        let slot = index &* CallPath.allCases.count &+ path.rawValue
        let series = resolved.value
        if slot < series.count, let found = series[slot] { return found }
        return resolve(module: module, operation: operation, slot: slot, path: path)
    }

    /// The slow path, once per operation and path: make the series and publish them.
    private func resolve(module: String, operation: String, slot: Int, path: CallPath) -> Series {
        resolved.update { series in
            if slot < series.count, let found = series[slot] { return (found, false) }
            let labels = [module, operation, path.label]
            let made = Series(
                ok: calls.labels(labels + ["ok"]), failed: calls.labels(labels + ["error"]),
                duration: durations.labels(labels), errors: errors, labels: labels)
            if series.count <= slot { series += Array(repeating: nil, count: slot + 1 - series.count) }
            series[slot] = made
            return (made, true)
        }
    }

    /// One module × operation × path.
    public final class Series: Sendable {
        private let ok: Counter
        private let failed: Counter
        private let duration: Histogram
        private let errors: MetricFamily<Counter>
        private let labels: [String]

        init(ok: Counter, failed: Counter, duration: Histogram, errors: MetricFamily<Counter>, labels: [String]) {
            self.ok = ok
            self.failed = failed
            self.duration = duration
            self.errors = errors
            self.labels = labels
        }

        /// Runs `call`, timed and counted.
        @inline(__always)
        public func timing<Result>(_ call: () throws -> Result) throws -> Result {
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                let result = try call()
                record(nanoseconds: DispatchTime.now().uptimeNanoseconds &- started, error: nil)
                return result
            } catch {
                record(nanoseconds: DispatchTime.now().uptimeNanoseconds &- started, error: error)
                throw error
            }
        }

        /// A call that took `nanoseconds` ended, with `error` if it failed:
        /// for a caller that timed it already (`LocalTransport`, for the module signals).
        @inline(__always)
        public func record(nanoseconds: UInt64, error: (any Error)?) {
            duration.observe(Double(nanoseconds) / 1e9)
            guard let error else {
                ok.increment()
                return
            }
            record(refused: error)
        }

        /// A call that failed with `error` without being made (an open
        /// breaker refused it): counted, not timed.
        public func record(refused error: any Error) {
            failed.increment()
            // Failures are the rare case: a lookup of the code's series is affordable here.
            let code = (error as? any ProblemConvertible)?.problem.code ?? "internal_error"
            errors.labels(labels + [code]).increment()
        }
    }
}
