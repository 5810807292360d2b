import Flags

/// Every tenant's home for every module under one flags.json, and why: the
/// grid `banyan flags status` prints and `GET /admin/flags/status` returns.
///
///     let homes = FlagsHomes(snapshot: flags.current, modules: ["payments"], tenants: ["demo-diner"])
///     homes.home(tenant: "demo-diner", module: "payments")   // (.service, .rollout)
public struct FlagsHomes: Sendable, Equatable {
    public struct Home: Sendable, Equatable {
        public let route: ModuleRoute
        public let why: FlagsPreview.Reason
    }

    /// Sorted.
    public let modules: [String]
    /// The tenants passed plus every tenant the file names, sorted.
    public let tenants: [String]
    private let homes: [String: [String: Home]]

    public init(snapshot: FlagsSnapshot, modules: some Sequence<String>, tenants known: some Sequence<String>) {
        var tenants = Set(known)
        for routing in snapshot.modules.values { tenants.formUnion(routing.tenants.keys) }
        self.modules = Set(modules).sorted()
        self.tenants = tenants.sorted()
        var homes: [String: [String: Home]] = [:]
        for tenant in self.tenants {
            for module in self.modules {
                let (route, why) = Self.resolve(snapshot.modules[module], module: module, tenant: tenant)
                homes[tenant, default: [:]][module] = Home(route: route, why: why)
            }
        }
        self.homes = homes
    }

    public func home(tenant: String, module: String) -> Home? {
        homes[tenant]?[module]
    }

    /// The tenant's home and why, in `ModuleRouting.route`'s order of precedence.
    static func resolve(_ routing: ModuleRouting?, module: String, tenant: String) -> (ModuleRoute, FlagsPreview.Reason) {
        guard let routing else { return (.inProcess, .default) }
        if let pinned = routing.tenants[tenant] { return (pinned, .explicit) }
        if let rollout = routing.rollout, rollout.includes(module: module, tenant: tenant) {
            return (rollout.route, .rollout)
        }
        return (routing.defaultRoute, .default)
    }
}
