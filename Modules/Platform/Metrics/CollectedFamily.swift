/// What a collector reports at scrape time: one family and its samples,
/// read from state kept elsewhere (a pool's counts, an outbox's backlog).
///
///     registry.collect {
///         [CollectedFamily(
///             name: "banyan_pool_connections", help: "Open connections per module pool", type: .gauge,
///             samples: pools.map { Sample(name: "banyan_pool_connections", labels: [.init("module", $0)], value: $1) })]
///     }
public struct CollectedFamily: Sendable {
    public var name: String
    public var help: String
    public var type: MetricType
    public var samples: [Sample]

    public init(name: String, help: String, type: MetricType, samples: [Sample]) {
        precondition(MetricName.isValid(name), "metric name \(name) is not a valid Prometheus name")
        self.name = name
        self.help = help
        self.type = type
        self.samples = samples
    }

    /// A family of one sample per label value: the common shape of a collector's figures.
    public init(name: String, help: String, type: MetricType, label: String, values: [(String, Double)]) {
        self.init(
            name: name, help: help, type: type,
            samples: values.map { Sample(name: name, labels: [.init(label, $0.0)], value: $0.1) })
    }
}
