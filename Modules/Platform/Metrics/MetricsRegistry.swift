import Synchronization

/// The metric families of a process (or of one component in it) and the
/// collectors that report figures kept elsewhere, exposed together in the
/// Prometheus text format by `PrometheusText`.
///
/// `MetricsRegistry.process` holds what code deep in shared libraries
/// counts (module calls); a gateway or service keeps its own registry for
/// what belongs to that instance (its HTTP requests, its pools) and
/// exposes both, so two gateways in one test process never mix collectors.
///
///     let registry = MetricsRegistry()
///     let calls = registry.counter("banyan_things_total", help: "Things done", labels: ["kind"])
///     let big = calls.labels("big")          // once
///     big.increment()                        // per event: one atomic add
///     let text = PrometheusText.render(registry.collect())
public final class MetricsRegistry: Sendable {
    /// The process-wide registry, for code that has no instance to hang one on.
    public static let process = MetricsRegistry()

    private let families = Mutex<[Registered]>([])
    private let collectors = Mutex<[Int: @Sendable () -> [CollectedFamily]]>([:])
    private let nextCollector = Atomic<Int>(0)

    public init() {}

    /// The counter family `name`; the same family when asked again with the same declaration.
    public func counter(_ name: String, help: String, labels: [String] = []) -> MetricFamily<Counter> {
        register(name, help, .counter, labels) { Counter() } samples: { family in
            family.all().map { Sample(name: name, labels: Self.pairs(family.labelNames, $0.labels), value: Double($0.series.current)) }
        }
    }

    public func gauge(_ name: String, help: String, labels: [String] = []) -> MetricFamily<Gauge> {
        register(name, help, .gauge, labels) { Gauge() } samples: { family in
            family.all().map { Sample(name: name, labels: Self.pairs(family.labelNames, $0.labels), value: $0.series.current) }
        }
    }

    /// - Parameter buckets: ascending upper bounds; `+Inf` is implied.
    public func histogram(
        _ name: String, help: String, labels: [String] = [], buckets: [Double] = Buckets.latency
    ) -> MetricFamily<Histogram> {
        precondition(!buckets.isEmpty && zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }, "buckets must ascend")
        precondition(!labels.contains("le"), "le is the bucket label of \(name)")
        return register(name, help, .histogram, labels) { Histogram(bounds: buckets) } samples: { family in
            family.all().flatMap { labels, histogram in
                let pairs = Self.pairs(family.labelNames, labels)
                let reading = histogram.read()
                let bounds = histogram.bounds.map(PrometheusText.number) + ["+Inf"]
                return zip(bounds, reading.cumulative).map { bound, count in
                    Sample(name: name + "_bucket", labels: pairs + [.init("le", bound)], value: Double(count))
                } + [
                    Sample(name: name + "_sum", labels: pairs, value: reading.sum),
                    Sample(name: name + "_count", labels: pairs, value: Double(reading.count)),
                ]
            }
        }
    }

    /// Runs `collector` at every scrape until the returned registration is cancelled.
    @discardableResult
    public func collect(_ collector: @escaping @Sendable () -> [CollectedFamily]) -> CollectorRegistration {
        let id = nextCollector.wrappingAdd(1, ordering: .relaxed).newValue
        collectors.withLock { $0[id] = collector }
        return CollectorRegistration { [weak self] in _ = self?.collectors.withLock { $0.removeValue(forKey: id) } }
    }

    /// Every family with its samples now: registered families in the order
    /// declared, then the collectors' in the order they were added.
    public func collect() -> [CollectedFamily] {
        let registered = families.withLock { $0 }
        let collectors = collectors.withLock { $0.sorted { $0.key < $1.key }.map(\.value) }
        return registered.map { CollectedFamily(name: $0.name, help: $0.help, type: $0.type, samples: $0.samples()) }
            + collectors.flatMap { $0() }
    }

    private struct Registered: Sendable {
        let name: String
        let help: String
        let type: MetricType
        let labels: [String]
        let family: any Sendable
        let samples: @Sendable () -> [Sample]
    }

    private func register<Series: Sendable>(
        _ name: String, _ help: String, _ type: MetricType, _ labels: [String],
        make: @escaping @Sendable () -> Series, samples: @escaping @Sendable (MetricFamily<Series>) -> [Sample]
    ) -> MetricFamily<Series> {
        families.withLock { families in
            if let existing = families.first(where: { $0.name == name }) {
                guard existing.type == type, existing.labels == labels, let family = existing.family as? MetricFamily<Series>
                else { preconditionFailure("metric \(name) is already declared differently") }
                return family
            }
            let family = MetricFamily(name: name, help: help, type: type, labelNames: labels, make: make)
            families.append(Registered(name: name, help: help, type: type, labels: labels, family: family) { samples(family) })
            return family
        }
    }

    private static func pairs(_ names: [String], _ values: [String]) -> [Sample.Label] {
        zip(names, values).map { Sample.Label($0, $1) }
    }
}
