/// `banyan_http_requests_total{route,method,status}` and
/// `banyan_http_request_duration_seconds{route,method}`: what a gateway or a
/// service answered, by route template, never by raw path (a path with ids
/// in it would make a series per order).
///
/// A service adds an `operation` label: its one route template,
/// `/operations/{operation}`, says nothing of what ran.
public final class HTTPRequestMetrics: Sendable {
    /// The route of a request no route matched (a 404, a 405, a scan).
    public static let unmatched = "unmatched"

    private let requests: MetricFamily<Counter>
    private let durations: MetricFamily<Histogram>
    private let byOperation: Bool
    /// Series resolved so far, so a request after the first of its kind costs one lookup, and no lock.
    private let resolved = Published<[Key: Resolved]>([:])

    private struct Resolved: Sendable {
        var requests: Counter
        var duration: Histogram
    }

    private struct Key: Hashable {
        var route: String
        var operation: String
        var method: String
        var status: Int
    }

    /// - Parameter byOperation: label series with the operation (a service's `/operations/{operation}`).
    public init(registry: MetricsRegistry, byOperation: Bool = false) {
        self.byOperation = byOperation
        let labels = byOperation ? ["route", "operation", "method"] : ["route", "method"]
        requests = registry.counter(
            "banyan_http_requests_total", help: "HTTP requests answered, by route template, method and status",
            labels: labels + ["status"])
        durations = registry.histogram(
            "banyan_http_request_duration_seconds", help: "Seconds from a request's arrival to its answer, by route template",
            labels: labels)
    }

    public func observe(route: String?, operation: String?, method: String, status: Int, seconds: Double) {
        let key = Key(
            route: route ?? Self.unmatched, operation: byOperation ? operation ?? "" : "", method: Self.method(method),
            status: status)
        let series = resolved.value[key] ?? resolve(key)
        series.requests.increment()
        series.duration.observe(seconds)
    }

    /// The slow path, once per route, method and status.
    private func resolve(_ key: Key) -> Resolved {
        resolved.update { resolved in
            if let found = resolved[key] { return (found, false) }
            let labels = byOperation ? [key.route, key.operation, key.method] : [key.route, key.method]
            let made = Resolved(requests: requests.labels(labels + [String(key.status)]), duration: durations.labels(labels))
            resolved[key] = made
            return (made, true)
        }
    }

    /// The method is the client's to choose: anything unusual is one label value, not one each.
    private static func method(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS": method
        default: "other"
        }
    }
}
