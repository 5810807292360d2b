import Platform

/// One module's routing: the route every tenant gets, and the tenants that
/// were moved the other way.
public struct ModuleRouting: Sendable, Equatable {
    public let defaultRoute: ModuleRoute
    /// Tenant id → route, for the tenants that differ from (or pin) the default.
    public let tenants: [String: ModuleRoute]

    public init(defaultRoute: ModuleRoute, tenants: [String: ModuleRoute] = [:]) {
        self.defaultRoute = defaultRoute
        self.tenants = tenants
    }

    /// The tenant's override, else the default.
    @inline(__always)
    public func route(tenant: String) -> ModuleRoute {
        tenants[tenant] ?? defaultRoute
    }

    /// True when some tenant (or every tenant, by default) is sent to the service.
    var usesService: Bool {
        defaultRoute == .service || tenants.values.contains(.service)
    }

    /// The same shape as a `modules` entry of flags.json.
    var json: JSONValue {
        .object([
            "default": .string(defaultRoute.rawValue),
            "tenants": .object(tenants.mapValues { .string($0.rawValue) }),
        ])
    }
}
