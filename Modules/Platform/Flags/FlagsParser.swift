import Foundation
import Platform

/// Reads and validates flags.json. Strict on purpose: a typo in a routing file
/// (`"servce"`, `"defualt"`, a tenant id with a capital letter) would
/// otherwise route real payments the wrong way without a word, so every
/// unknown key, wrong type and malformed name is refused with the field named.
/// `flags.schema.json` publishes the same rules; `FlagsSchemaTests` keeps the two in step.
///
///     let snapshot = try FlagsParser.parse(Array(text.utf8), source: "/etc/banyan/flags.json")
public enum FlagsParser {
    /// The keys a flags.json may have at its top level.
    public static let topLevelKeys = ["services", "modules"]
    /// The keys of one `modules` entry.
    public static let moduleKeys = ["default", "tenants", "rollout", "fallback", "breaker"]
    /// The keys of a `modules` entry that must be present.
    public static let requiredModuleKeys = ["default"]
    /// The percentages a `rollout` may name.
    public static let rolloutPercentages = 0...100
    /// A routing file is a few hundred bytes; anything near this is a mistake.
    public static let maximumBytes = 1 << 20
    /// Deep enough for any flags.json, shallow enough that hostile input cannot exhaust the stack.
    static let jsonLimits = StrictJSON.Limits(maximumDepth: 32)

    /// Parses and validates one flags.json.
    ///
    /// Refuses, with a `FlagsError` naming the field: text that is not JSON;
    /// unknown keys; wrong types; duplicate keys; routes other than
    /// `"in-process"` and `"service"`; tenant ids that break `TenantID`'s
    /// rules; module names not matching `[a-z][a-z0-9_]*`; a `rollout` that
    /// is not one home other than the default with an integer 0–100; a
    /// module routed to `"service"` (by default, for any tenant or by a
    /// rollout) with no `services` URL;
    /// service URLs other than `http(s)://host[:port]`; and, when
    /// `knownModules` is given, modules Banyan does not have. The first
    /// problem in document order is reported, except that text that is not
    /// JSON or repeats a key is refused before anything is validated.
    public static func parse(
        _ data: [UInt8], source: String, knownModules: Set<String>? = nil, version: Int = 1,
        loadedAt: Date = Date()
    ) throws(FlagsError) -> FlagsSnapshot {
        guard data.count <= maximumBytes else {
            throw FlagsError(field: "file", message: "is larger than \(maximumBytes) bytes")
        }
        // Some editors start a UTF-8 file with a byte order mark; RFC 8259 lets a reader ignore it.
        let text = data.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(data.dropFirst(3)) : data
        let validator = Validator(knownModules: knownModules)
        let root: StrictJSON.Node
        do {
            root = try StrictJSON.parse(text, limits: jsonLimits)
        } catch {
            if let keys = error.duplicateKey {
                throw FlagsError(field: validator.field(keys), message: "appears more than once")
            }
            throw FlagsError(field: "json", message: error.description)
        }
        let (services, modules) = try validator.document(root)
        return FlagsSnapshot(
            services: services, modules: modules, source: source, loadedAt: loadedAt, version: version,
            fileVersion: FlagsVersion(of: data))
    }

    /// `[a-z][a-z0-9_]*`: the names modules have in Package.swift, lower-cased.
    static func isModuleName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, isLower(first) else { return false }
        return bytes.dropFirst().allSatisfy { isLower($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// `http://` or `https://`, a DNS name, IPv4 address or bracketed IPv6
    /// address, an optional port 1–65535 without leading zeros, and nothing
    /// else: no credentials, path (not even `/`), query or fragment — the
    /// transport appends its own paths to this base.
    static func isServiceURL(_ url: String) -> Bool {
        var rest: Substring
        if url.hasPrefix("http://") {
            rest = url.dropFirst(7)
        } else if url.hasPrefix("https://") {
            rest = url.dropFirst(8)
        } else {
            return false
        }
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            let inside = rest[rest.index(after: rest.startIndex)..<close]
            guard inside.contains(":"),
                inside.utf8.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return false }
            rest = rest[rest.index(after: close)...]
        } else {
            let host = rest.prefix { $0 != ":" }
            guard isHostName(host) else { return false }
            rest = rest.dropFirst(host.count)
        }
        if rest.isEmpty { return true }
        guard rest.first == ":" else { return false }
        return isPort(rest.dropFirst())
    }

    /// Dot-separated labels of letters, digits and inner hyphens (which also covers IPv4).
    private static func isHostName(_ host: Substring) -> Bool {
        guard !host.isEmpty else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
                return false
            }
            return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isPort(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...5).contains(bytes.count), bytes.allSatisfy(isDigit), bytes.first != UInt8(ascii: "0"),
            let port = Int(text)
        else { return false }
        return port <= 65535
    }

    private static func isLower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLower(byte | 0x20) || isDigit(byte)
    }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }
}

extension FlagsParser {
    /// Walks the parsed document once, in document order, so the first
    /// problem in the file is the one reported.
    private struct Validator {
        let knownModules: Set<String>?

        static let routeMessage = "must be \"in-process\", \"service\" or \"shadow\""

        func document(_ root: StrictJSON.Node) throws(FlagsError) -> ([String: String], [String: ModuleRouting]) {
            let members = try object(root, at: "(root)")
            var services: [String: String] = [:]
            // In document order, so the missing-URL check below reports the first module.
            var modules: [(name: String, routing: ModuleRouting)] = []
            for (key, value) in members {
                switch key {
                case "services": services = try self.services(value)
                case "modules": modules = try self.modules(value)
                default:
                    throw FlagsError(
                        field: path("", key),
                        message: "is not a known key (allowed: \(FlagsParser.topLevelKeys.joined(separator: ", ")))")
                }
            }
            for (name, routing) in modules where routing.usesService && services[name] == nil {
                let onService = routing.tenants.filter { $0.value.reachesService }.sorted { $0.key < $1.key }
                let (home, who) =
                    if routing.defaultRoute.reachesService {
                        (routing.defaultRoute, "by default")
                    } else if let (tenant, home) = onService.first {
                        (home, "for tenant \(tenant)")
                    } else {
                        (routing.rollout?.route ?? .service, "for a rollout of \(routing.rollout?.percent ?? 0)%")
                    }
                throw FlagsError(
                    field: path("services", name),
                    message: "is required: modules.\(name) routes to \"\(home.rawValue)\" \(who)")
            }
            return (services, Dictionary(uniqueKeysWithValues: modules.map { ($0.name, $0.routing) }))
        }

        private func services(_ node: StrictJSON.Node) throws(FlagsError) -> [String: String] {
            var services: [String: String] = [:]
            for (module, value) in try object(node, at: "services") {
                let field = path("services", module)
                try checkModuleName(module, field: field)
                guard case .string(let url) = value else {
                    throw FlagsError(field: field, message: "must be a string, not \(value.kind)")
                }
                guard FlagsParser.isServiceURL(url) else {
                    throw FlagsError(
                        field: field,
                        message:
                            "must be http(s)://host[:port] with no path, query or trailing slash, e.g. \"http://127.0.0.1:4004\"")
                }
                services[module] = url
            }
            return services
        }

        private func modules(_ node: StrictJSON.Node) throws(FlagsError) -> [(name: String, routing: ModuleRouting)] {
            var modules: [(name: String, routing: ModuleRouting)] = []
            for (module, value) in try object(node, at: "modules") {
                let field = path("modules", module)
                try checkModuleName(module, field: field)
                modules.append((module, try routing(value, at: field)))
            }
            return modules
        }

        private func routing(_ node: StrictJSON.Node, at field: String) throws(FlagsError) -> ModuleRouting {
            var defaultRoute: ModuleRoute?
            var tenants: [String: ModuleRoute] = [:]
            var rollout: ModuleRouting.Rollout?
            var policy = ServicePolicy.standard
            for (key, value) in try object(node, at: field) {
                switch key {
                case "default":
                    defaultRoute = try route(value, at: path(field, key))
                case "tenants":
                    let tenantsField = path(field, key)
                    for (tenant, tenantRoute) in try object(value, at: tenantsField) {
                        let tenantField = path(tenantsField, tenant)
                        guard TenantID(tenant) != nil else {
                            throw FlagsError(
                                field: tenantField,
                                message: "is not a tenant id (2 to 63 lower-case letters, digits and inner hyphens)")
                        }
                        tenants[tenant] = try route(tenantRoute, at: tenantField)
                    }
                case "rollout":
                    rollout = try self.rollout(value, at: path(field, key))
                case "fallback":
                    guard case .string(ModuleRoute.inProcess.rawValue) = value else {
                        throw FlagsError(
                            field: path(field, key),
                            message: "must be \"in-process\" (the only home a failed service call may fall back to)")
                    }
                    policy.fallback = .inProcess
                case "breaker":
                    policy.breaker = try breaker(value, at: path(field, key))
                default:
                    throw FlagsError(
                        field: path(field, key),
                        message: "is not a known key (allowed: \(FlagsParser.moduleKeys.joined(separator: ", ")))")
                }
            }
            guard let defaultRoute else {
                throw FlagsError(
                    field: path(field, "default"), message: "is required (\"in-process\", \"service\" or \"shadow\")")
            }
            // Checked once the whole entry is read: "default" may come after "rollout".
            if let rollout, rollout.route == defaultRoute {
                let others = ModuleRoute.allCases.filter { $0 != defaultRoute }.map { "\"\($0.rawValue)\"" }
                throw FlagsError(
                    field: path(path(field, "rollout"), rollout.route.rawValue),
                    message:
                        "must not be the default (\"\(defaultRoute.rawValue)\"): a rollout homes tenants at another home, \(others.joined(separator: " or "))")
            }
            return ModuleRouting(defaultRoute: defaultRoute, tenants: tenants, rollout: rollout, policy: policy)
        }

        /// `{"failures": 5, …}`: known keys only, each an integer in its range.
        private func breaker(_ node: StrictJSON.Node, at field: String) throws(FlagsError) -> BreakerSettings {
            var settings = BreakerSettings()
            let keys = BreakerSettings.keys
            for (key, value) in try object(node, at: field) {
                guard let known = keys.first(where: { $0.name == key }) else {
                    throw FlagsError(
                        field: path(field, key),
                        message: "is not a known key (allowed: \(keys.map(\.name).joined(separator: ", ")))")
                }
                guard case .integer(let number) = value, known.range.contains(number) else {
                    throw FlagsError(
                        field: path(field, key),
                        message: "must be an integer from \(known.range.lowerBound) to \(known.range.upperBound)")
                }
                settings[keyPath: known.path] = number
            }
            return settings
        }

        /// `{"service": 10}`: exactly one home, and an integer percentage of tenants homed there.
        private func rollout(_ node: StrictJSON.Node, at field: String) throws(FlagsError) -> ModuleRouting.Rollout {
            let members = try object(node, at: field)
            guard members.count == 1, let (key, value) = members.first else {
                throw FlagsError(
                    field: field,
                    message: "must have exactly one key, a home other than the default, e.g. {\"service\": 10}")
            }
            let homeField = path(field, key)
            guard let home = ModuleRoute(rawValue: key) else {
                let homes = ModuleRoute.allCases.map(\.rawValue).joined(separator: ", ")
                throw FlagsError(field: homeField, message: "is not a known key (allowed: \(homes))")
            }
            // Only an integer as written: the reader keeps no value for 10.0 or
            // 1e1, and one spelling per percentage keeps the file greppable.
            guard case .integer(let percent) = value, FlagsParser.rolloutPercentages.contains(percent) else {
                throw FlagsError(
                    field: homeField,
                    message:
                        "must be an integer from \(FlagsParser.rolloutPercentages.lowerBound) to \(FlagsParser.rolloutPercentages.upperBound)"
                )
            }
            return ModuleRouting.Rollout(route: home, percent: percent)
        }

        private func route(_ node: StrictJSON.Node, at field: String) throws(FlagsError) -> ModuleRoute {
            guard case .string(let name) = node, let route = ModuleRoute(rawValue: name) else {
                throw FlagsError(field: field, message: Self.routeMessage)
            }
            return route
        }

        private func checkModuleName(_ module: String, field: String) throws(FlagsError) {
            guard FlagsParser.isModuleName(module) else {
                throw FlagsError(field: field, message: "is not a module name ([a-z][a-z0-9_]*)")
            }
            if let knownModules, !knownModules.contains(module) {
                throw FlagsError(
                    field: field, message: "is not a Banyan module (known: \(knownModules.sorted().joined(separator: ", ")))")
            }
        }

        /// The members of an object, refusing other types. (The reader
        /// refused duplicate keys already.)
        private func object(_ node: StrictJSON.Node, at field: String) throws(FlagsError) -> [(key: String, value: StrictJSON.Node)] {
            guard case .object(let members) = node else {
                throw FlagsError(field: field, message: "must be an object, not \(node.kind)")
            }
            return members
        }

        /// The field the keys from the root lead to, e.g. `modules.payments.default`.
        func field(_ keys: [String]) -> String {
            keys.reduce("") { path($0, $1) }
        }

        /// `parent.key`, or `parent["key"]` when the key is not a plain word
        /// (so a key holding dots or spaces cannot make the path ambiguous).
        private func path(_ parent: String, _ key: String) -> String {
            let plain =
                !key.isEmpty
                && key.utf8.allSatisfy {
                    FlagsParser.isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                }
            if plain { return parent.isEmpty ? key : "\(parent).\(key)" }
            return "\(parent)[\(JSONText.quoted(key))]"
        }
    }
}
