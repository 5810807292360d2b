import Dispatch
import Platform
import Synchronization

/// Module calls as the routed transport makes them, by module, operation
/// and path (`in-process`, `service`, and whatever else a transport names:
/// `shadow`, `fallback`):
///
/// - `banyan_module_calls_total{module,operation,path,outcome}` (`ok`, `error`)
/// - `banyan_module_call_duration_seconds{module,operation,path}`
/// - `banyan_module_call_errors_total{module,operation,path,code}`, the code
///   of the problem the call failed with (`internal_error` for an error that is none).
///
/// A call finds its `Series` without a lock and records into it with
/// atomic operations only: the in-process path must stay far under a microsecond.
public final class ModuleCallMetrics: Sendable {
    /// The process's: module calls are made deep in shared code with no instance to hand.
    public static let process = ModuleCallMetrics(registry: .process)

    private let calls: MetricFamily<Counter>
    private let durations: MetricFamily<Histogram>
    private let errors: MetricFamily<Counter>
    /// The bit pattern of an unretained pointer to the current `Resolved`:
    /// a call reads it without a lock (one atomic load, one hash of the
    /// operation's name). A new series publishes a new copy; every copy is
    /// kept in `published` so a reader holding an old one never sees it freed
    /// (bounded: one per operation and path ever called).
    private let current: Atomic<UInt>
    private let published: Mutex<[Resolved]>

    /// Series by operation name (it starts with its module), then by path.
    private final class Resolved: Sendable {
        let series: [String: [(path: String, series: Series)]]
        init(_ series: [String: [(path: String, series: Series)]]) { self.series = series }
    }

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
        let first = Resolved([:])
        published = Mutex([first])
        current = Atomic(UInt(bitPattern: Unmanaged.passUnretained(first).toOpaque()))
    }

    public func series(module: String, operation: String, path: String) -> Series {
        let bits = current.load(ordering: .acquiring)
        let resolved = Unmanaged<Resolved>.fromOpaque(UnsafeRawPointer(bitPattern: bits).unsafelyUnwrapped)
            .takeUnretainedValue()
        if let found = resolved.series[operation]?.first(where: { $0.path == path }) { return found.series }
        return resolve(module: module, operation: operation, path: path)
    }

    /// The slow path, once per operation and path: make the series and publish a new map.
    private func resolve(module: String, operation: String, path: String) -> Series {
        published.withLock { published in
            var map = published[published.count - 1].series
            if let found = map[operation]?.first(where: { $0.path == path }) { return found.series }
            let series = Series(
                ok: calls.labels(module, operation, path, "ok"), failed: calls.labels(module, operation, path, "error"),
                duration: durations.labels(module, operation, path), errors: errors, labels: [module, operation, path])
            map[operation, default: []].append((path, series))
            let next = Resolved(map)
            published.append(next)
            current.store(UInt(bitPattern: Unmanaged.passUnretained(next).toOpaque()), ordering: .releasing)
            return series
        }
    }

    /// A monotonic timestamp in nanoseconds, for `Series.record(since:)`.
    public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// One module × operation × path.
    ///
    /// A call served by this process's own table is timed one in
    /// `localTimingInterval`: reading the clock costs about as much as such a
    /// call (in sandboxed hosts a `clock_gettime` is a few hundred
    /// nanoseconds), so its histogram is a sample while its counts stay
    /// exact. A call that leaves the process is always timed.
    public final class Series: Sendable {
        public static let localTimingInterval: UInt64 = 16
        private let starts = Atomic<UInt64>(0)
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

        /// When a call starts: its start time, or 0 when it is not to be timed
        /// (`local`: served by this process's table, and not this one in `localTimingInterval`).
        @inline(__always)
        public func start(local: Bool) -> UInt64 {
            // The old value: the first call of a series is always timed.
            if local, !starts.wrappingAdd(1, ordering: .relaxed).oldValue.isMultiple(of: Series.localTimingInterval) {
                return 0
            }
            return ModuleCallMetrics.now()
        }

        /// A call that started at `started` (`start(local:)`) ended, with `error` if it failed.
        public func record(since started: UInt64, error: (any Error)? = nil) {
            if started != 0 { duration.observe(Double(ModuleCallMetrics.now() &- started) / 1e9) }
            guard let error else {
                ok.increment()
                return
            }
            failed.increment()
            // Failures are the rare case: a lookup of the code's series is affordable here.
            let code = (error as? any ProblemConvertible)?.problem.code ?? "internal_error"
            errors.labels(labels + [code]).increment()
        }
    }
}
