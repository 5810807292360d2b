import Flags
import Metrics
import Postgres
import Routing

/// Figures every Banyan process exposes at `/metrics` the same way, from
/// state kept elsewhere, read at scrape time: the gateway's `GatewayMetrics`
/// and each service (`ServiceMain`) register these as collectors — flags
/// loads and version, module pools, and the circuit breakers of the services
/// the process calls.
public enum ProcessCollectors {
    public static func flags(_ flags: FlagsStore) -> [CollectedFamily] {
        let counts = flags.loadCounts
        return [
            CollectedFamily(
                name: "banyan_flags_loads_total", help: "flags.json files loaded and put in force since start",
                type: .counter, samples: [Sample(name: "banyan_flags_loads_total", value: Double(counts.loaded))]),
            CollectedFamily(
                name: "banyan_flags_rejected_total", help: "flags.json files refused (invalid or unreadable) since start",
                type: .counter, samples: [Sample(name: "banyan_flags_rejected_total", value: Double(counts.rejected))]),
            CollectedFamily(
                name: "banyan_flags_info", help: "The flags.json version in force (none: the built-in defaults)",
                type: .gauge,
                samples: [
                    Sample(
                        name: "banyan_flags_info",
                        labels: [.init("version", flags.current.fileVersion?.description ?? "none")], value: 1)
                ]),
        ]
    }

    public static func pools(_ pools: [(module: String, pool: PostgresPool)]) -> [CollectedFamily] {
        var size: [(String, Double)] = [], open: [(String, Double)] = [], inUse: [(String, Double)] = []
        var waits: [(String, Double)] = [], timeouts: [(String, Double)] = []
        var statements: [(String, Double)] = [], roundTrips: [(String, Double)] = [], transactions: [Sample] = []
        for (module, pool) in pools {
            let opened = pool.openConnectionCount, counts = pool.waitCounts
            let work = pool.counters.snapshot
            statements.append((module, Double(work.statements)))
            roundTrips.append((module, Double(work.roundTrips)))
            for (outcome, count) in [("committed", work.commits), ("rolled_back", work.rollbacks)] {
                transactions.append(
                    Sample(
                        name: "banyan_db_transactions_total", labels: [.init("module", module), .init("outcome", outcome)],
                        value: Double(count)))
            }
            size.append((module, Double(pool.size)))
            open.append((module, Double(opened)))
            inUse.append((module, Double(max(0, opened - pool.idleConnectionCount))))
            waits.append((module, Double(counts.waits)))
            timeouts.append((module, Double(counts.timeouts)))
        }
        return [
            CollectedFamily(
                name: "banyan_db_pool_size", help: "Connections a module's pool may open", type: .gauge,
                label: "module", values: size),
            CollectedFamily(
                name: "banyan_db_pool_connections_open", help: "Connections a module's pool holds open", type: .gauge,
                label: "module", values: open),
            CollectedFamily(
                name: "banyan_db_pool_connections_in_use", help: "Connections of a module's pool checked out now",
                type: .gauge, label: "module", values: inUse),
            CollectedFamily(
                name: "banyan_db_pool_waits_total", help: "Times a check-out found a module's pool busy and waited",
                type: .counter, label: "module", values: waits),
            CollectedFamily(
                name: "banyan_db_pool_timeouts_total", help: "Check-outs that gave up waiting for a busy pool",
                type: .counter, label: "module", values: timeouts),
            // What the database was asked, for the work per request (`./scripts/bench orders`).
            CollectedFamily(
                name: "banyan_db_statements_total", help: "Statements a module's pool sent (BEGIN and COMMIT included)",
                type: .counter, label: "module", values: statements),
            CollectedFamily(
                name: "banyan_db_round_trips_total",
                help: "Times a module's pool connections waited for the server's replies (one per pipeline or script)",
                type: .counter, label: "module", values: roundTrips),
            CollectedFamily(
                name: "banyan_db_transactions_total", help: "A module's pool transactions, by outcome (committed, rolled_back)",
                type: .counter, samples: transactions),
        ]
    }

    /// One series per module service: its state as a number (0 closed,
    /// 1 half-open, 2 open), so an alert is `banyan_breaker_state > 0`.
    public static func breakers(_ snapshots: [CircuitBreaker.Snapshot]) -> [CollectedFamily] {
        let states = ["closed": 0.0, "half-open": 1, "open": 2]
        return [
            CollectedFamily(
                name: "banyan_breaker_state", help: "A module service's circuit breaker: 0 closed, 1 half-open, 2 open",
                type: .gauge,
                samples: snapshots.map {
                    Sample(
                        name: "banyan_breaker_state", labels: [.init("module", $0.module), .init("url", $0.url)],
                        value: states[$0.state] ?? -1)
                }),
            CollectedFamily(
                name: "banyan_breaker_consecutive_failures", help: "Failed calls in a row to a module service",
                type: .gauge,
                samples: snapshots.map {
                    Sample(
                        name: "banyan_breaker_consecutive_failures",
                        labels: [.init("module", $0.module), .init("url", $0.url)], value: Double($0.consecutiveFailures))
                }),
        ]
    }
}
