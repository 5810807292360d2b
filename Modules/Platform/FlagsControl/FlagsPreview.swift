import Flags
import Foundation

/// What replacing one flags.json with another would do: every tenant whose
/// home for a module changes, and every module-level change (a service URL,
/// a default, a rollout), in a fixed order. The CLI prints it before it
/// writes; `GET`/`PUT /admin/flags` return it as JSON.
///
/// Tenants looked at: the ones the caller names (every tenant Auth knows)
/// plus every tenant either file names. A tenant neither names and the
/// caller did not pass is routed by default and cohort like any other, but
/// cannot be listed — so pass them all.
public struct FlagsPreview: Sendable, Equatable, Codable {
    /// Why a tenant gets its home in the candidate file.
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// The module's `tenants` names it.
        case explicit
        /// It is in the module's rollout cohort.
        case rollout
        /// Neither: the module's default (in-process for a module the file does not list).
        case `default`
    }

    public struct TenantChange: Sendable, Equatable, Codable {
        public let module: String
        public let tenant: String
        public let from: ModuleRoute
        public let to: ModuleRoute
        public let why: Reason

        public init(module: String, tenant: String, from: ModuleRoute, to: ModuleRoute, why: Reason) {
            self.module = module
            self.tenant = tenant
            self.from = from
            self.to = to
            self.why = why
        }
    }

    public struct ModuleChange: Sendable, Equatable, Codable {
        public enum Field: String, Sendable, Codable {
            /// `services.<module>`: from and to are URLs.
            case service
            /// `modules.<module>.default`: from and to are homes; nil when the module is not listed.
            case `default`
            /// `modules.<module>.rollout`: `service 10%`; nil when there is none.
            case rollout
            /// `modules.<module>.fallback`: `in-process`; nil when there is none.
            case fallback
            /// `modules.<module>.breaker`: the keys written (`failures 5, open_seconds 10`); nil when there is none.
            case breaker
        }

        public let module: String
        public let field: Field
        public let from: String?
        public let to: String?

        public init(module: String, field: Field, from: String?, to: String?) {
            self.module = module
            self.field = field
            self.from = from
            self.to = to
        }
    }

    /// Service URLs by module, then each module's default and rollout, by module.
    public let moduleChanges: [ModuleChange]
    /// By module, then tenant.
    public let tenantChanges: [TenantChange]

    public var isEmpty: Bool { moduleChanges.isEmpty && tenantChanges.isEmpty }

    /// A preview computed elsewhere (a gateway's answer), to print.
    public init(moduleChanges: [ModuleChange], tenantChanges: [TenantChange]) {
        self.moduleChanges = moduleChanges
        self.tenantChanges = tenantChanges
    }

    public init(from current: FlagsSnapshot, to candidate: FlagsSnapshot, tenants known: some Sequence<String>) {
        var moduleChanges: [ModuleChange] = []
        for module in Set(current.services.keys).union(candidate.services.keys).sorted()
        where current.services[module] != candidate.services[module] {
            moduleChanges.append(
                ModuleChange(
                    module: module, field: .service, from: current.services[module], to: candidate.services[module]))
        }
        let modules = Set(current.modules.keys).union(candidate.modules.keys).sorted()
        for module in modules {
            let before = current.modules[module]
            let after = candidate.modules[module]
            if before?.defaultRoute != after?.defaultRoute {
                moduleChanges.append(
                    ModuleChange(
                        module: module, field: .default, from: before?.defaultRoute.rawValue,
                        to: after?.defaultRoute.rawValue))
            }
            if before?.rollout != after?.rollout {
                moduleChanges.append(
                    ModuleChange(
                        module: module, field: .rollout, from: before?.rollout.map(Self.summary),
                        to: after?.rollout.map(Self.summary)))
            }
            if before?.policy.fallback != after?.policy.fallback {
                moduleChanges.append(
                    ModuleChange(
                        module: module, field: .fallback, from: before?.policy.fallback?.rawValue,
                        to: after?.policy.fallback?.rawValue))
            }
            let breakers = [before, after].map { $0.flatMap { $0.policy.breaker.isEmpty ? nil : $0.policy.breaker.summary } }
            if breakers[0] != breakers[1] {
                moduleChanges.append(ModuleChange(module: module, field: .breaker, from: breakers[0], to: breakers[1]))
            }
        }
        var tenants = Set(known)
        for snapshot in [current, candidate] {
            for routing in snapshot.modules.values { tenants.formUnion(routing.tenants.keys) }
        }
        let sortedTenants = tenants.sorted()
        var tenantChanges: [TenantChange] = []
        for module in modules where current.modules[module] != candidate.modules[module] {
            for tenant in sortedTenants {
                let from = current.route(module: module, tenant: tenant)
                let (to, why) = FlagsHomes.resolve(candidate.modules[module], module: module, tenant: tenant)
                if from != to {
                    tenantChanges.append(TenantChange(module: module, tenant: tenant, from: from, to: to, why: why))
                }
            }
        }
        self.moduleChanges = moduleChanges
        self.tenantChanges = tenantChanges
    }

    /// `service 10%`, as flags' own reload log line writes a rollout.
    static func summary(_ rollout: ModuleRouting.Rollout) -> String {
        "\(rollout.route.rawValue) \(rollout.percent)%"
    }
}

extension FlagsPreview: CustomStringConvertible {
    /// For the CLI: the module-level lines, then a table of the tenants that
    /// move, then a count —
    ///
    ///     services.payments: none → http://127.0.0.1:4004
    ///     payments rollout: none → service 10%
    ///     MODULE    TENANT      FROM        TO       WHY
    ///     payments  demo-bistro in-process  service  rollout
    ///     1 tenant home changes.
    public var description: String {
        var lines: [String] = []
        for change in moduleChanges {
            let name = change.field == .service ? "services.\(change.module)" : "\(change.module) \(change.field.rawValue)"
            lines.append("\(name): \(change.from ?? "none") → \(change.to ?? "none")")
        }
        if !tenantChanges.isEmpty {
            let rows =
                [["MODULE", "TENANT", "FROM", "TO", "WHY"]]
                + tenantChanges.map { [$0.module, $0.tenant, $0.from.rawValue, $0.to.rawValue, $0.why.rawValue] }
            lines += TextTable.lines(rows)
        }
        let count = tenantChanges.count
        lines.append(
            count == 0
                ? (moduleChanges.isEmpty ? "No change." : "No tenant changes home.")
                : "\(count) tenant home\(count == 1 ? "" : "s") change\(count == 1 ? "s" : "").")
        return lines.joined(separator: "\n")
    }
}
