import BanyanTestSupport
import Foundation

/// Homing tenants in a service with the module's fallback and breaker set, through flags.json.
extension TestGateway {
    /// Writes flags.json with `tenants`' `module` calls homed in the service
    /// at `url`, every other tenant in-process, the module's `fallback` (when
    /// given) and `breaker` settings; waits, bounded, until GET /admin/flags
    /// shows the gateway routing by it.
    func route(
        _ module: String, of tenants: [String], to url: String, fallback: String?, breaker: [String: Int],
        within seconds: Double = 5
    ) throws {
        var entry: [String: Any] = [
            "default": "in-process", "tenants": Dictionary(uniqueKeysWithValues: tenants.map { ($0, "service") }),
            "breaker": breaker,
        ]
        if let fallback { entry["fallback"] = fallback }
        let flags: [String: Any] = ["services": [module: url], "modules": [module: entry]]
        try replaceFlags(with: flags)
        let active = try eventually(within: seconds) {
            let reply = try call("GET", "/admin/flags", token: opsToken)
            guard let active = reply.json["active"] as? [String: Any], reply.json["last_error"] is NSNull,
                active["services"] as? [String: String] == [module: url],
                let routed = (active["modules"] as? [String: [String: Any]])?[module]
            else { return false }
            return routed["fallback"] as? String == fallback && routed["breaker"] as? [String: Int] == breaker
                && routed["tenants"] as? [String: String] == Dictionary(uniqueKeysWithValues: tenants.map { ($0, "service") })
        }
        guard active else { throw TestFailure("GET /admin/flags did not show \(flags) within \(seconds) s") }
    }

    /// `GET /admin/flags/status`'s breaker of `module`'s service, as JSON.
    func breakerStatus(_ module: String) throws -> [String: Any]? {
        let status = try call("GET", "/admin/flags/status", token: opsToken)
        return ((status.json["services"] as? [String: Any])?[module] as? [String: Any])?["breaker"] as? [String: Any]
    }
}
