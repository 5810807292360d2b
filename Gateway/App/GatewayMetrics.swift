import Bootstrap
import Events
import Flags
import HTTPServer
import Metrics
import Postgres
import Routing

/// What one gateway exposes at `/metrics` besides the process-wide figures
/// (module calls): its HTTP requests, and collectors reading the state its
/// components keep — flags loads, module pools, outbox backlogs, recovery and
/// reconciliation. Collectors run at scrape time; cancelled at shutdown, so
/// a stopped gateway (in a test process) leaves nothing behind.
///
/// No figure here has a tenant label: per-tenant figures belong to the
/// admin API, not to a time series per tenant.
final class GatewayMetrics: Sendable {
    let registry = MetricsRegistry()
    let requests: HTTPRequestMetrics
    private let registrations: [CollectorRegistration]

    /// Seconds an outbox count is reused: a scrape every second asks the database once per this.
    static let outboxMaximumAge: Double = 5

    init(
        flags: FlagsStore, pools: [(module: String, pool: PostgresPool)], events: EventDispatcher,
        recovery: CheckoutRecovery, reconciliation: Reconciliation, breakers: CircuitBreakers, shadow: ShadowStats
    ) {
        requests = HTTPRequestMetrics(registry: registry)
        let backlog = CachedReading(maximumAge: Self.outboxMaximumAge) { try events.backlog() }
        registrations = [
            registry.collect { ProcessCollectors.flags(flags) },
            registry.collect { ProcessCollectors.pools(pools) },
            registry.collect { Self.outbox(backlog.value) },
            registry.collect { Self.recovery(recovery.figures) },
            registry.collect { Self.reconciliation(reconciliation.figures) },
            registry.collect { ProcessCollectors.breakers(breakers.snapshot(flags.current)) },
            registry.collect { Self.shadow(shadow.snapshot()) },
        ]
    }

    /// The Prometheus text of this gateway and of the process.
    func exposition() -> String {
        PrometheusText.render(registry.collect() + MetricsRegistry.process.collect())
    }

    func stop() {
        for registration in registrations { registration.cancel() }
    }

    private static func outbox(_ backlog: [OutboxBacklog]?) -> [CollectedFamily] {
        // Nothing rather than zeros when the database never answered: an absent series is not an empty outbox.
        guard let backlog else { return [] }
        return [
            CollectedFamily(
                name: "banyan_outbox_pending_events", help: "Events in a module's outbox not yet delivered",
                type: .gauge, label: "module", values: backlog.map { ($0.module, Double($0.pending)) }),
            CollectedFamily(
                name: "banyan_outbox_parked_events", help: "Events in a module's outbox parked for an operator",
                type: .gauge, label: "module", values: backlog.map { ($0.module, Double($0.parked)) }),
        ]
    }

    private static func recovery(_ tally: CheckoutRecovery.Tally) -> [CollectedFamily] {
        [
            counter("banyan_checkout_recovery_passes_total", "Checkout recovery passes run", tally.passes),
            counter(
                "banyan_checkout_recovery_failures_total", "Checkout recovery passes that could not run",
                tally.failedPasses),
            counter(
                "banyan_checkout_recovery_settled_total", "Interrupted checkouts recovery settled (completed or undone)",
                tally.settled),
        ]
    }

    private static func reconciliation(_ tally: Reconciliation.Tally) -> [CollectedFamily] {
        [
            counter("banyan_reconciliation_sweeps_total", "Payment reconciliation sweeps run", tally.sweeps),
            counter(
                "banyan_reconciliation_failures_total", "Payment reconciliation sweeps that could not run",
                tally.failedSweeps),
            counter("banyan_reconciliation_examined_total", "Payments reconciliation looked at", tally.examined),
            CollectedFamily(
                name: "banyan_reconciliation_actions_total",
                help: "What reconciliation found and did about it, by finding and action", type: .counter,
                samples: tally.actions.sorted { ($0.key.found, $0.key.action) < ($1.key.found, $1.key.action) }.map {
                    Sample(
                        name: "banyan_reconciliation_actions_total",
                        labels: [.init("found", $0.key.found), .init("action", $0.key.action)], value: Double($0.value))
                }),
        ]
    }

    /// Shadow comparisons by module and operation, summed over tenants (no tenant label).
    private static func shadow(_ snapshot: ShadowStats.Snapshot) -> [CollectedFamily] {
        var byOperation: [String: [String: ShadowStats.Counts]] = [:]
        for (key, counts) in snapshot.counts {
            byOperation[key.module, default: [:]][key.operation, default: ShadowStats.Counts()] =
                byOperation[key.module, default: [:]][key.operation, default: ShadowStats.Counts()] + counts
        }
        let rows = byOperation.sorted { $0.key < $1.key }.flatMap { module, operations in
            operations.sorted { $0.key < $1.key }.map { (module, $0.key, $0.value) }
        }
        func family(_ name: String, _ help: String, _ value: (ShadowStats.Counts) -> Int) -> CollectedFamily {
            CollectedFamily(
                name: name, help: help, type: .counter,
                samples: rows.map {
                    Sample(name: name, labels: [.init("module", $0.0), .init("operation", $0.1)], value: Double(value($0.2)))
                })
        }
        return [
            family("banyan_shadow_comparisons_total", "Shadowed reads compared with the service's answer", \.comparisons),
            family("banyan_shadow_diffs_total", "Shadowed reads whose service answer differed", \.diffs),
            family("banyan_shadow_errors_total", "Shadowed reads the service failed to answer", \.errors),
            family("banyan_shadow_dropped_total", "Shadowed reads dropped because the shadow queue was full", \.dropped),
        ]
    }

    private static func counter(_ name: String, _ help: String, _ value: Int) -> CollectedFamily {
        CollectedFamily(name: name, help: help, type: .counter, samples: [Sample(name: name, value: Double(value))])
    }
}
