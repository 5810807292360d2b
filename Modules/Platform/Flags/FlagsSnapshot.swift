import Foundation
import Platform

/// One validated flags.json, immutable: the routed facades read it on every
/// call, so a reload publishes a whole new snapshot instead of editing one.
///
///     let route = snapshot.route(module: "payments", tenant: "demo-cafe")
///     if route == .service, let url = snapshot.serviceURL(module: "payments") { … }
public struct FlagsSnapshot: Sendable, Equatable {
    /// Module → base URL of its extracted service (`http://127.0.0.1:4004`, no trailing slash).
    public let services: [String: String]
    /// Module → its default route and per-tenant overrides.
    public let modules: [String: ModuleRouting]
    /// Absolute path the snapshot was read from, `(defaults)` when none.
    public let source: String
    public let loadedAt: Date
    /// 1, 2, 3… per successful load in this process; 0 for the built-in
    /// defaults. `GET /admin/flags` calls it `load`: it tells two loads
    /// apart in one process, never one file from another across processes.
    public let version: Int
    /// The version of the exact bytes this snapshot was parsed from — what
    /// every process reading the same file agrees on, the ETag of `GET
    /// /admin/flags` — or nil for the built-in defaults and hand-built snapshots.
    public let fileVersion: FlagsVersion?

    /// Builds a snapshot without validation: for tests and tools that route by
    /// hand. Files go through `FlagsParser.parse`.
    public init(
        services: [String: String], modules: [String: ModuleRouting], source: String, loadedAt: Date,
        version: Int, fileVersion: FlagsVersion? = nil
    ) {
        self.services = services
        self.modules = modules
        self.source = source
        self.loadedAt = loadedAt
        self.version = version
        self.fileVersion = fileVersion
    }

    /// Every module in-process for everyone: what Banyan runs without a flags.json.
    public static let defaults = FlagsSnapshot(
        services: [:], modules: [:], source: "(defaults)", loadedAt: Date(timeIntervalSince1970: 0), version: 0)

    /// The tenant's override, else the module's rollout when the tenant is in
    /// its cohort, else the module's default, else `.inProcess` (a module
    /// flags.json does not mention has not been extracted).
    @inline(__always)
    public func route(module: String, tenant: String) -> ModuleRoute {
        guard let routing = modules[module] else { return .inProcess }
        return routing.route(module: module, tenant: tenant)
    }

    public func serviceURL(module: String) -> String? {
        services[module]
    }

    /// The routing part in flags.json's own shape (`services`, `modules`), for `GET /admin/flags`.
    public var json: JSONValue {
        .object([
            "services": .object(services.mapValues { .string($0) }),
            "modules": .object(modules.mapValues(\.json)),
        ])
    }

    /// What a reload changed, one line per effective route or URL that moved,
    /// for the log: `payments[demo-cafe]: in-process → service`. A rollout
    /// that changed is one line, `payments rollout: none → service 10%`,
    /// not a line per tenant it moved (those are every tenant there is).
    func changes(from old: FlagsSnapshot) -> [String] {
        var lines: [String] = []
        for module in Set(services.keys).union(old.services.keys).sorted()
        where services[module] != old.services[module] {
            lines.append("services.\(module): \(old.services[module] ?? "none") → \(services[module] ?? "none")")
        }
        for module in Set(modules.keys).union(old.modules.keys).sorted() {
            let before = old.modules[module] ?? ModuleRouting(defaultRoute: .inProcess)
            let after = modules[module] ?? ModuleRouting(defaultRoute: .inProcess)
            if before.defaultRoute != after.defaultRoute {
                lines.append("\(module) default: \(before.defaultRoute.rawValue) → \(after.defaultRoute.rawValue)")
            }
            if before.rollout != after.rollout {
                lines.append(
                    "\(module) rollout: \(before.rollout?.summary ?? "none") → \(after.rollout?.summary ?? "none")")
            }
            if before.policy.fallback != after.policy.fallback {
                lines.append(
                    "\(module) fallback: \(before.policy.fallback?.rawValue ?? "none") → \(after.policy.fallback?.rawValue ?? "none")")
            }
            if before.policy.breaker != after.policy.breaker {
                lines.append("\(module) breaker: \(before.policy.breaker.summary) → \(after.policy.breaker.summary)")
            }
            for tenant in Set(before.tenants.keys).union(after.tenants.keys).sorted() {
                let was = before.route(module: module, tenant: tenant)
                let now = after.route(module: module, tenant: tenant)
                if was != now { lines.append("\(module)[\(tenant)]: \(was.rawValue) → \(now.rawValue)") }
            }
        }
        return lines
    }
}
