import Synchronization

/// A named metric and its series, one per combination of label values.
///
///     let requests = registry.counter("banyan_http_requests_total", help: "HTTP requests", labels: ["method"])
///     let gets = requests.labels("GET")   // resolved once, kept
///     gets.increment()
///
/// `labels(...)` takes a lock and hashes the values: do it once per series
/// and keep the handle, not on every observation.
public final class MetricFamily<Series: Sendable>: Sendable {
    public let name: String
    public let help: String
    public let type: MetricType
    public let labelNames: [String]
    private let make: @Sendable () -> Series
    private let series = Mutex<[[String]: Series]>([:])

    init(name: String, help: String, type: MetricType, labelNames: [String], make: @escaping @Sendable () -> Series) {
        precondition(MetricName.isValid(name), "metric name \(name) is not a valid Prometheus name")
        for label in labelNames {
            precondition(MetricName.isValidLabel(label), "label name \(label) of \(name) is not valid")
        }
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.make = make
    }

    /// The series with these label values (in `labelNames` order), made on first use.
    public func labels(_ values: String...) -> Series { labels(values) }

    public func labels(_ values: [String]) -> Series {
        precondition(values.count == labelNames.count, "\(name) takes \(labelNames.count) label values, got \(values.count)")
        return series.withLock { series in
            if let existing = series[values] { return existing }
            let made = make()
            series[values] = made
            return made
        }
    }

    /// Every series so far, ordered by label values so a scrape reads the same way twice.
    func all() -> [(labels: [String], series: Series)] {
        series.withLock { $0.map { ($0.key, $0.value) } }.sorted { $0.labels.lexicographicallyPrecedes($1.labels) }
    }
}
