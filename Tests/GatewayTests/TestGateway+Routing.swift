import BanyanTestSupport
import Foundation

/// Moving tenants' calls of one module to its service through flags.json, as an operator does.
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
        let flags: [String: Any] = [
            "services": [module: url],
            "modules": [
                module: [
                    "default": "in-process",
                    "tenants": Dictionary(uniqueKeysWithValues: tenants.map { ($0, "service") }),
                ]
            ],
        ]
        let temporary = flagsPath + ".tmp-\(UUID().uuidString.prefix(8))"
        try JSONSerialization.data(withJSONObject: flags).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, flagsPath) == 0 else { throw TestFailure("rename: errno \(errno)") }
        let active = try eventually(within: seconds) {
            let reply = try call("GET", "/admin/flags", token: opsToken)
            let active = reply.json["active"] as? [String: Any]
            let routed = ((active?["modules"] as? [String: Any])?[module] as? [String: Any])?["tenants"]
                as? [String: Any] ?? [:]
            return (active?["services"] as? [String: Any])?[module] as? String == url
                && tenants.allSatisfy { routed[$0] as? String == "service" } && reply.json["last_error"] is NSNull
        }
        guard active else { throw TestFailure("flags.json did not route \(module) of \(tenants) to \(url) within \(seconds) s") }
    }
}
