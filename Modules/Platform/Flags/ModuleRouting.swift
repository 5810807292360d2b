import Platform

/// One module's routing: the route every tenant gets, the tenants that were
/// moved the other way, and optionally a cohort (a percentage of the other
/// tenants) moved the other way too.
///
/// It does not know which module it routes: the cohort's bucket hashes the
/// module's name with the tenant's, so `route(module:tenant:)` takes it.
public struct ModuleRouting: Sendable, Equatable {
    public let defaultRoute: ModuleRoute
    /// Tenant id → route, for the tenants that differ from (or pin) the default.
    public let tenants: [String: ModuleRoute]
    /// The share of the tenants not listed in `tenants` homed away from the
    /// default; nil when flags.json has no `rollout` for the module.
    public let rollout: Rollout?
    /// The fallback and breaker of the module's service.
    public let policy: ServicePolicy

    public init(
        defaultRoute: ModuleRoute, tenants: [String: ModuleRoute] = [:], rollout: Rollout? = nil,
        policy: ServicePolicy = .standard
    ) {
        self.defaultRoute = defaultRoute
        self.tenants = tenants
        self.rollout = rollout
        self.policy = policy
    }

    /// The tenant's own entry, else the rollout's home when the tenant is in
    /// its cohort, else the default. The bucket is hashed only for a module
    /// with a rollout, so the others pay one dictionary lookup, as before.
    @inline(__always)
    public func route(module: String, tenant: String) -> ModuleRoute {
        if let pinned = tenants[tenant] { return pinned }
        if let rollout, rollout.includes(module: module, tenant: tenant) { return rollout.route }
        return defaultRoute
    }

    /// True when some tenant (or every tenant, by default) may be sent to the
    /// service, to be served or shadowed. A rollout there counts even at 0%:
    /// raising it later must not be the edit that discovers the URL is missing.
    public var usesService: Bool {
        defaultRoute.reachesService || tenants.values.contains { $0.reachesService } || rollout?.route.reachesService == true
    }

    /// The same shape as a `modules` entry of flags.json; `rollout`,
    /// `fallback` and `breaker` only when there are.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "default": .string(defaultRoute.rawValue),
            "tenants": .object(tenants.mapValues { .string($0.rawValue) }),
        ]
        if let rollout { members["rollout"] = .object([rollout.route.rawValue: .int(Int64(rollout.percent))]) }
        if let fallback = policy.fallback { members["fallback"] = .string(fallback.rawValue) }
        if !policy.breaker.isEmpty {
            var breaker: [String: JSONValue] = [:]
            for key in BreakerSettings.keys {
                if let value = policy.breaker[keyPath: key.path] { breaker[key.name] = .int(Int64(value)) }
            }
            members["breaker"] = .object(breaker)
        }
        return .object(members)
    }
}

extension ModuleRouting {
    /// `"rollout": {"service": 10}`: the tenants whose cohort bucket for this
    /// module is below `percent` are homed at `route` (the home that is not
    /// the default), unless `tenants` names them. Raising the percentage only
    /// adds tenants, since each tenant's bucket never changes.
    public struct Rollout: Sendable, Equatable {
        /// Where the cohort's calls go: the module's other home.
        public let route: ModuleRoute
        /// 0 (nobody) … 100 (every tenant not listed).
        public let percent: Int

        public init(route: ModuleRoute, percent: Int) {
            precondition((0...100).contains(percent), "a rollout is 0 to 100 percent, not \(percent)")
            self.route = route
            self.percent = percent
        }

        @inline(__always)
        public func includes(module: String, tenant: String) -> Bool {
            // Skips the hash at the ends, where the answer does not depend on it.
            percent >= 100 || (percent > 0 && ModuleRouting.cohortBucket(module: module, tenant: tenant) < percent)
        }

        /// For the log: `service 10%`.
        var summary: String { "\(route.rawValue) \(percent)%" }
    }

    /// The tenant's bucket for the module's rollout, 0..<100: 64-bit FNV-1a
    /// over the UTF-8 bytes of `<module>/<tenant>`, modulo 100. A tenant is in
    /// a rollout of N% when its bucket is below N.
    ///
    /// Stable by construction — no seed, no `Hasher` (which Swift seeds per
    /// process), no dependence on platform or byte order — so every process
    /// of every version puts a tenant in the same bucket; the tests pin
    /// buckets for fixed ids so it cannot change unnoticed. Hashing the
    /// module's name in as well gives each module its own cohorts: the first
    /// 10% of payments is not also the first 10% of inventory. This is
    /// bucketing, not security: FNV is cheap and spreads short ids evenly,
    /// and nobody gains by steering their own bucket.
    public static func cohortBucket(module: String, tenant: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func mix(_ byte: UInt8) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        for byte in module.utf8 { mix(byte) }
        mix(UInt8(ascii: "/"))
        for byte in tenant.utf8 { mix(byte) }
        return Int(hash % 100)
    }
}
