import Foundation
import HTTPServer
import Platform
import Routing

/// `GET /admin/shadow`: what shadowing found — per module × operation, with
/// each tenant's counts, the totals, and the last answers that differed
/// with the path and both values. `?module=` and `?tenant=` narrow all
/// three. `banyan flags shadow-report` prints it.
package enum ShadowRoutes {
    static let module = QueryParameter.optionalString("module")
    static let tenant = QueryParameter.optionalString("tenant")

    /// - Parameter shadow: the gateway's mirror; without one (a route table
    ///   built for its documentation) the report is empty.
    static func routes(shadow: ShadowMirror?) -> [Route] {
        let group = RouteGroup("/admin/shadow", access: .operator)
        return [
            // Non-blocking: one short lock on the counters, no I/O.
            group.get(
                summary: "Shadow comparisons of the in-process and service answers to reads, and the last diffs",
                query: [module, tenant], nonBlocking: true
            ) { context in
                Report(
                    rate: shadow?.rate ?? 0, pending: shadow?.pending ?? 0,
                    snapshot: shadow?.stats.snapshot() ?? ShadowStats().snapshot(),
                    module: try context.query(module), tenant: try context.query(tenant))
            }
        ]
    }

    /// `{"rate", "pending", "totals", "by_module": [...], "recent_diffs": [...]}`; each
    /// `by_module` entry and each of its `tenants` carries its counts flat
    /// (`{"module", "operation", "comparisons", …, "tenants": [{"tenant", "comparisons", …}]}`),
    /// as the migration console reads them.
    package struct Report: Codable, Sendable {
        /// `BANYAN_SHADOW_RATE`: the share of shadowed reads sent to the service.
        package let rate: Double
        /// Shadow calls waiting to be made.
        package let pending: Int
        package let totals: Counts
        /// Per module and operation (sorted), each with its tenants (sorted).
        package let byModule: [OperationCounts]
        /// Oldest first; at most the last 100 kept.
        package let recentDiffs: [Diff]

        private enum CodingKeys: String, CodingKey {
            case rate, pending, totals
            case byModule = "by_module"
            case recentDiffs = "recent_diffs"
        }

        init(rate: Double, pending: Int, snapshot: ShadowStats.Snapshot, module: String?, tenant: String?) {
            self.rate = rate
            self.pending = pending
            func kept(_ key: ShadowStats.Key) -> Bool {
                (module == nil || key.module == module) && (tenant == nil || key.tenant == tenant)
            }
            let counts = snapshot.counts.filter { kept($0.key) }
            totals = Counts(counts.values.reduce(ShadowStats.Counts(), +))
            let operations = Dictionary(grouping: counts.keys) { OperationKey(module: $0.module, operation: $0.operation) }
            byModule = operations.keys.sorted { ($0.module, $0.operation) < ($1.module, $1.operation) }.map { operation in
                let keys = operations[operation]!.sorted()
                return OperationCounts(
                    module: operation.module, operation: operation.operation,
                    counts: Counts(keys.map { counts[$0]! }.reduce(ShadowStats.Counts(), +)),
                    tenants: keys.map { TenantCounts(tenant: $0.tenant, counts: Counts(counts[$0]!)) })
            }
            recentDiffs = snapshot.recent.filter { kept($0.key) }.map(Diff.init)
        }
    }

    private struct OperationKey: Hashable {
        let module: String
        let operation: String
    }

    package struct Counts: Codable, Sendable, Equatable {
        /// Answers compared: `matches` + `diffs`.
        package let comparisons: Int
        package let matches: Int
        package let diffs: Int
        /// Shadow calls that brought back no answer (the service down, a 4xx/5xx, a timeout).
        package let errors: Int
        /// Reads not sent because the shadow queue was full.
        package let dropped: Int

        init(_ counts: ShadowStats.Counts) {
            self.init(
                comparisons: counts.comparisons, matches: counts.matches, diffs: counts.diffs, errors: counts.errors,
                dropped: counts.dropped)
        }

        init(comparisons: Int, matches: Int, diffs: Int, errors: Int, dropped: Int) {
            self.comparisons = comparisons
            self.matches = matches
            self.diffs = diffs
            self.errors = errors
            self.dropped = dropped
        }
    }

    /// One operation's counts (all its tenants), flat beside its name, and each tenant's.
    package struct OperationCounts: Codable, Sendable {
        package let module: String
        package let operation: String
        package let comparisons: Int
        package let matches: Int
        package let diffs: Int
        package let errors: Int
        package let dropped: Int
        package let tenants: [TenantCounts]

        init(module: String, operation: String, counts: Counts, tenants: [TenantCounts]) {
            self.module = module
            self.operation = operation
            comparisons = counts.comparisons
            matches = counts.matches
            diffs = counts.diffs
            errors = counts.errors
            dropped = counts.dropped
            self.tenants = tenants
        }

        package var counts: Counts {
            Counts(comparisons: comparisons, matches: matches, diffs: diffs, errors: errors, dropped: dropped)
        }
    }

    /// One tenant's counts for an operation, flat beside its id.
    package struct TenantCounts: Codable, Sendable {
        package let tenant: String
        package let comparisons: Int
        package let matches: Int
        package let diffs: Int
        package let errors: Int
        package let dropped: Int

        init(tenant: String, counts: Counts) {
            self.tenant = tenant
            comparisons = counts.comparisons
            matches = counts.matches
            diffs = counts.diffs
            errors = counts.errors
            dropped = counts.dropped
        }

        package var counts: Counts {
            Counts(comparisons: comparisons, matches: matches, diffs: diffs, errors: errors, dropped: dropped)
        }
    }

    /// One service answer that differed from the in-process one.
    package struct Diff: Codable, Sendable {
        package let at: Date
        package let module: String
        package let operation: String
        package let tenant: String
        package let requestID: String
        /// The first differences (at most 50).
        package let differences: [Difference]
        /// How many there were in all.
        package let total: Int

        private enum CodingKeys: String, CodingKey {
            case at, module, operation, tenant, differences, total
            case requestID = "request_id"
        }

        init(_ diff: ShadowStats.Diff) {
            at = diff.at
            module = diff.key.module
            operation = diff.key.operation
            tenant = diff.key.tenant
            requestID = diff.requestID
            differences = diff.differences.map(Difference.init)
            total = diff.total
        }
    }

    /// `{"path", "in_process", "service"}`; a side is absent from the JSON
    /// when the member or element is absent from that answer (`null` is JSON null).
    package struct Difference: Codable, Sendable {
        /// `.payments[0].amount_cents`; empty for the answer itself.
        package let path: String
        package let inProcess: JSONValue?
        package let service: JSONValue?

        private enum CodingKeys: String, CodingKey {
            case path
            case inProcess = "in_process"
            case service
        }

        init(_ difference: ShadowComparison.Difference) {
            path = difference.path
            inProcess = difference.inProcess
            service = difference.service
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try container.decode(String.self, forKey: .path)
            // `decodeIfPresent` reads JSON null as nil too; a present null is a value.
            inProcess = try container.decodeIfPresent(JSONValue.self, forKey: .inProcess)
                ?? (container.contains(.inProcess) ? .null : nil)
            service = try container.decodeIfPresent(JSONValue.self, forKey: .service)
                ?? (container.contains(.service) ? .null : nil)
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encodeIfPresent(inProcess, forKey: .inProcess)
            try container.encodeIfPresent(service, forKey: .service)
        }
    }
}
