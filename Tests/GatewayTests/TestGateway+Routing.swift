import BanyanTestSupport
import Foundation

/// Moving tenants' module calls to services through flags.json, as an operator does.
extension TestGateway {
    /// Routes `tenants`' payments to the service at `url` (everyone else's
    /// stay in-process) and waits, bounded, until GET /admin/flags shows the
    /// gateway serving from that file.
    func routePayments(of tenants: [String], to url: String, within seconds: Double = 5) throws {
        try route("payments", of: tenants, to: url, within: seconds)
    }

    /// Routes `tenants`' calls of `module` to the service at `url` (every
    /// other module and tenant in-process) and waits, bounded, until GET
    /// /admin/flags shows the gateway serving from that file. The tenants
    /// need not exist yet.
    func route(_ module: String, of tenants: [String], to url: String, within seconds: Double = 5) throws {
        try route(services: [module: url], homes: [module: tenants], within: seconds)
    }

    /// Replaces the shared flags.json (a whole new file renamed over the old
    /// one, so no process ever reads half of it) and waits, bounded, until
    /// GET /admin/flags shows the gateway routing by exactly this file with
    /// no load error. The services read the same file on their own clock;
    /// a test that needs one of them to have read it waits for that itself.
    ///
    /// - Parameters:
    ///   - services: module → its service's URL.
    ///   - homes: module → the tenants homed in its service.
    ///   - inProcess: module → the tenants pinned in-process, for a module
    ///     whose default is `service`.
    ///   - defaults: module → its home for every tenant not listed
    ///     (`"in-process"` or `"service"`); `"in-process"` when absent.
    ///
    /// Every module named in `homes`, `inProcess` or `defaults` gets an
    /// entry; any other module is in-process for everyone.
    ///
    ///     try app.route(
    ///         services: ["orders": orders.url, "payments": payments.url],
    ///         homes: ["orders": [cafe, bistro], "payments": [bistro]])
    func route(
        services: [String: String], homes: [String: [String]] = [:], inProcess: [String: [String]] = [:],
        defaults: [String: String] = [:], within seconds: Double = 5
    ) throws {
        var modules: [String: (default: String, tenants: [String: String])] = [:]
        for module in Set(homes.keys).union(inProcess.keys).union(defaults.keys) {
            var tenants: [String: String] = [:]
            for tenant in homes[module] ?? [] { tenants[tenant] = "service" }
            for tenant in inProcess[module] ?? [] {
                guard tenants[tenant] == nil else { throw TestFailure("\(tenant) homed both ways for \(module)") }
                tenants[tenant] = "in-process"
            }
            modules[module] = (defaults[module] ?? "in-process", tenants)
        }
        let flags: [String: Any] = [
            "services": services,
            "modules": modules.mapValues { ["default": $0.default, "tenants": $0.tenants] },
        ]
        try replaceFlags(with: flags)

        let active = try eventually(within: seconds) {
            let reply = try call("GET", "/admin/flags", token: opsToken)
            guard let active = reply.json["active"] as? [String: Any], reply.json["last_error"] is NSNull,
                active["services"] as? [String: String] == services,
                let routed = active["modules"] as? [String: [String: Any]], Set(routed.keys) == Set(modules.keys)
            else { return false }
            return modules.allSatisfy { module, expected in
                routed[module]?["default"] as? String == expected.default
                    && routed[module]?["tenants"] as? [String: String] == expected.tenants
            }
        }
        guard active else {
            throw TestFailure("GET /admin/flags did not show \(flags) within \(seconds) s")
        }
    }
}

extension TestGateway {
    /// Replaces the shared flags.json with `document`: a whole new file
    /// renamed over the old one, so no process ever reads half of it.
    func replaceFlags(with document: [String: Any]) throws {
        let temporary = flagsPath + ".tmp-\(UUID().uuidString.prefix(8))"
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, flagsPath) == 0 else { throw TestFailure("rename: errno \(errno)") }
    }
}
