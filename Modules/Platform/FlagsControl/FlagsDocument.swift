import Flags
import Platform

/// A validated flags.json that remembers the order its keys were written in,
/// so the control plane can rewrite it as an operator would: the shipped
/// file, parsed and written again, is the same bytes, and an edit changes
/// only the line of the module it touches.
///
/// Order: `services` and `modules` keep the file's order; a service, module
/// or tenant the file did not have is appended after the others. A document
/// made from a snapshot (which keeps no order) is written in sorted order.
/// The text is always `FlagsDocument.layout`: see `bytes`.
public struct FlagsDocument: Sendable, Equatable {
    public struct Module: Sendable, Equatable {
        public var name: String
        public var defaultRoute: ModuleRoute
        /// Tenant id → route, in written order.
        public var tenants: [(tenant: String, route: ModuleRoute)]
        public var rollout: ModuleRouting.Rollout?
        /// `fallback` and `breaker`.
        public var policy: ServicePolicy

        public init(
            name: String, defaultRoute: ModuleRoute, tenants: [(tenant: String, route: ModuleRoute)] = [],
            rollout: ModuleRouting.Rollout? = nil, policy: ServicePolicy = .standard
        ) {
            self.name = name
            self.defaultRoute = defaultRoute
            self.tenants = tenants
            self.rollout = rollout
            self.policy = policy
        }

        public var routing: ModuleRouting {
            ModuleRouting(
                defaultRoute: defaultRoute, tenants: Dictionary(uniqueKeysWithValues: tenants.map { ($0.tenant, $0.route) }),
                rollout: rollout, policy: policy)
        }

        public static func == (lhs: Module, rhs: Module) -> Bool {
            lhs.name == rhs.name && lhs.defaultRoute == rhs.defaultRoute && lhs.rollout == rhs.rollout
                && lhs.policy == rhs.policy
                && lhs.tenants.map(\.tenant) == rhs.tenants.map(\.tenant)
                && lhs.tenants.map(\.route) == rhs.tenants.map(\.route)
        }
    }

    /// Module → service base URL, in written order.
    public var services: [(module: String, url: String)]
    public var modules: [Module]

    public init(services: [(module: String, url: String)], modules: [Module]) {
        self.services = services
        self.modules = modules
    }

    /// The routing of `snapshot`, sorted by name (a snapshot keeps no order).
    public init(snapshot: FlagsSnapshot) {
        services = snapshot.services.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        modules = snapshot.modules.sorted { $0.key < $1.key }.map { name, routing in
            Module(
                name: name, defaultRoute: routing.defaultRoute,
                tenants: routing.tenants.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, rollout: routing.rollout,
                policy: routing.policy)
        }
    }

    /// Validates `bytes` with `FlagsParser` (its errors, unchanged) and keeps the key order.
    public init(parsing bytes: [UInt8], source: String = "(flags control)", knownModules: Set<String>? = nil)
        throws(FlagsError)
    {
        let snapshot = try FlagsParser.parse(bytes, source: source, knownModules: knownModules)
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        // Cannot fail: the parser just read the same text with the same reader.
        guard let root = try? StrictJSON.parse(text, limits: StrictJSON.Limits(maximumDepth: 32)) else {
            throw FlagsError(field: "json", message: "could not be read again for its key order")
        }
        func keys(_ node: StrictJSON.Node?) -> [String] {
            guard case .object(let members)? = node else { return [] }
            return members.map(\.key)
        }
        services = keys(root["services"]).compactMap { module in snapshot.services[module].map { (module, $0) } }
        modules = keys(root["modules"]).compactMap { name in
            guard let routing = snapshot.modules[name] else { return nil }
            let tenantOrder = keys(root["modules"]?[name]?["tenants"])
            return Module(
                name: name, defaultRoute: routing.defaultRoute,
                tenants: tenantOrder.compactMap { tenant in routing.tenants[tenant].map { (tenant, $0) } },
                rollout: routing.rollout, policy: routing.policy)
        }
    }

    /// The routing as a snapshot (`source`, `loadedAt` and `version` are placeholders).
    public var snapshot: FlagsSnapshot {
        FlagsSnapshot(
            services: Dictionary(uniqueKeysWithValues: services.map { ($0.module, $0.url) }),
            modules: Dictionary(uniqueKeysWithValues: modules.map { ($0.name, $0.routing) }),
            source: "(flags control)", loadedAt: .init(timeIntervalSince1970: 0), version: 0)
    }

    public func module(_ name: String) -> Module? {
        modules.first { $0.name == name }
    }

    public func serviceURL(_ module: String) -> String? {
        services.first { $0.module == module }?.url
    }

    /// The same routing with its services, modules and tenants in
    /// `reference`'s order wherever `reference` has them, and its own after:
    /// a whole document sent to replace a file (`PUT /admin/flags`, whose
    /// JSON keeps no key order) then changes only the lines that differ.
    public func ordered(like reference: FlagsDocument) -> FlagsDocument {
        func rank<Key: Hashable>(_ keys: [Key]) -> [Key: Int] {
            Dictionary(keys.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        func sorted<Element, Key: Hashable>(_ elements: [Element], by key: (Element) -> Key, like order: [Key: Int])
            -> [Element]
        {
            // Stable: the reference's entries by its rank, the others after, in their own order.
            elements.enumerated().sorted { a, b in
                (order[key(a.element)] ?? Int.max, a.offset) < (order[key(b.element)] ?? Int.max, b.offset)
            }.map(\.element)
        }
        let moduleOrder = rank(reference.modules.map(\.name))
        let modules = sorted(self.modules, by: \.name, like: moduleOrder).map { module -> Module in
            guard let old = reference.module(module.name) else { return module }
            var module = module
            module.tenants = sorted(module.tenants, by: \.tenant, like: rank(old.tenants.map(\.tenant)))
            return module
        }
        return FlagsDocument(
            services: sorted(services, by: \.module, like: rank(reference.services.map(\.module))), modules: modules)
    }

    public static func == (lhs: FlagsDocument, rhs: FlagsDocument) -> Bool {
        lhs.services.map(\.module) == rhs.services.map(\.module) && lhs.services.map(\.url) == rhs.services.map(\.url)
            && lhs.modules == rhs.modules
    }
}

extension FlagsDocument {
    /// The file's text, UTF-8, in the shipped layout: two-space indents,
    /// `services` first with one URL a line, then `modules` with one module a
    /// line —
    ///
    ///     "payments": { "default": "in-process", "tenants": { "demo-cafe": "service" }, "rollout": { "service": 10 } },
    ///
    /// — `tenants` always (`{}` when empty); `rollout`, `fallback` and
    /// `breaker` (its keys in `BreakerSettings.keys`' order) only when set; a
    /// final newline. README's walkthrough edits this layout with `sed`.
    public var bytes: [UInt8] {
        var out = "{\n"
        out += "  \"services\": " + block(services.map { "\(JSONText.quoted($0.module)): \(JSONText.quoted($0.url))" })
        out += ",\n"
        out += "  \"modules\": " + block(modules.map(Self.line))
        out += "\n}\n"
        return Array(out.utf8)
    }

    /// `{` lines `}` at the second level, or `{}` when there are none.
    private func block(_ lines: [String]) -> String {
        guard !lines.isEmpty else { return "{}" }
        return "{\n" + lines.map { "    " + $0 }.joined(separator: ",\n") + "\n  }"
    }

    private static func line(_ module: Module) -> String {
        let tenants =
            module.tenants.isEmpty
            ? "{}"
            : "{ " + module.tenants.map { "\(JSONText.quoted($0.tenant)): \(JSONText.quoted($0.route.rawValue))" }
                .joined(separator: ", ") + " }"
        var members = [
            "\"default\": \(JSONText.quoted(module.defaultRoute.rawValue))", "\"tenants\": \(tenants)",
        ]
        if let rollout = module.rollout {
            members.append("\"rollout\": { \(JSONText.quoted(rollout.route.rawValue)): \(rollout.percent) }")
        }
        if let fallback = module.policy.fallback {
            members.append("\"fallback\": \(JSONText.quoted(fallback.rawValue))")
        }
        let breaker = BreakerSettings.keys.compactMap { key in
            module.policy.breaker[keyPath: key.path].map { "\(JSONText.quoted(key.name)): \($0)" }
        }
        if !breaker.isEmpty {
            members.append("\"breaker\": { " + breaker.joined(separator: ", ") + " }")
        }
        return "\(JSONText.quoted(module.name)): { " + members.joined(separator: ", ") + " }"
    }
}
