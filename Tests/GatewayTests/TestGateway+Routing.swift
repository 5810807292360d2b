import BanyanTestSupport
import Foundation

/// Moving tenants' payments to a service through flags.json, as an operator does.
extension TestGateway {
    /// Routes `tenants`' payments to the service at `url` (everyone else's
    /// stay in-process) and waits, bounded, until GET /admin/flags shows the
    /// gateway serving from that file.
    func routePayments(of tenants: [String], to url: String, within seconds: Double = 5) throws {
        let flags: [String: Any] = [
            "services": ["payments": url],
            "modules": [
                "payments": [
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
            let routed = ((active?["modules"] as? [String: Any])?["payments"] as? [String: Any])?["tenants"]
                as? [String: Any] ?? [:]
            return (active?["services"] as? [String: Any])?["payments"] as? String == url
                && tenants.allSatisfy { routed[$0] as? String == "service" } && reply.json["last_error"] is NSNull
        }
        guard active else { throw TestFailure("flags.json did not route \(tenants) to \(url) within \(seconds) s") }
    }
}
