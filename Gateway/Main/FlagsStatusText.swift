import FlagsControl
import Gateway

/// `banyan flags status` as text: the version and who applied it, the
/// services, then the tenants × modules grid —
///
///     flags.json sha256:3f2a…, load 4 at this gateway
///     Applied by every running gateway (2): gw-a, gw-b
///     SERVICE   URL                    READY  CONTRACT    BREAKER
///     payments  http://127.0.0.1:4004  yes    compatible  closed
///     TENANT       auth        payments
///     demo-bistro  in-process  service%
///     demo-diner   service*    in-process
///     * explicit entry  % rollout cohort  ! held in-process by the gate; otherwise the default
struct FlagsStatusText: CustomStringConvertible {
    let status: FlagsStatus

    init(_ status: FlagsStatus) {
        self.status = status
    }

    var description: String {
        var lines = ["flags.json \(status.applied.version ?? "(none: the built-in defaults)"), load \(status.load) at this gateway"]
        lines.append(Self.appliedLine(status.applied))
        if status.services.isEmpty {
            lines.append("No services configured: every module runs in-process.")
        } else {
            lines += TextTable.lines(
                [["SERVICE", "URL", "READY", "CONTRACT", "BREAKER"]]
                    + status.services.sorted { $0.key < $1.key }.map { module, service in
                        [
                            module, service.url, service.ready ? "yes" : "no: \(service.problem ?? "not ready")",
                            Self.contract(service), Self.breaker(service.breaker),
                        ]
                    })
        }
        if status.tenants.isEmpty {
            lines.append("No tenants yet.")
        } else {
            lines += TextTable.lines(
                [["TENANT"] + status.modules]
                    + status.tenants.map { tenant in
                        [tenant.tenant] + status.modules.map { module in tenant.homes[module].map(Self.cell) ?? "?" }
                    })
            lines.append("* explicit entry  % rollout cohort  ! held in-process by the gate; otherwise the default")
        }
        return lines.joined(separator: "\n")
    }

    static func appliedLine(_ applied: FlagsApplied) -> String {
        let names = applied.instances.map(\.instance).joined(separator: ", ")
        if applied.instances.isEmpty { return "No running gateway has reported yet." }
        if applied.allApplied { return "Applied by every running gateway (\(applied.instances.count)): \(names)" }
        let behind = applied.instances.filter { !$0.applied }.map { "\($0.instance) on \($0.version ?? "the defaults")" }
        return "NOT applied by every running gateway: " + behind.joined(separator: ", ")
    }

    private static func contract(_ service: FlagsStatus.Service) -> String {
        switch service.compatible {
        case true?: "compatible"
        case false?: "INCOMPATIBLE: " + service.breaking.joined(separator: "; ")
        case nil: "unchecked"
        }
    }

    /// `closed`, or `open (3 failures in a row, 60% of 5 calls, last: connection refused)`; `-` from an older gateway.
    private static func breaker(_ breaker: FlagsStatus.Breaker?) -> String {
        guard let breaker else { return "-" }
        guard breaker.state != "closed" || breaker.consecutiveFailures > 0 else { return breaker.state }
        var facts = ["\(breaker.consecutiveFailures) failures in a row"]
        if breaker.windowCalls > 0 { facts.append("\(breaker.errorRate)% of \(breaker.windowCalls) calls") }
        if let last = breaker.lastFailure { facts.append("last: \(last)") }
        return "\(breaker.state) (\(facts.joined(separator: ", ")))"
    }

    private static func cell(_ home: FlagsStatus.Home) -> String {
        let mark = home.why == "explicit" ? "*" : home.why == "rollout" ? "%" : ""
        return home.served == home.home ? home.home + mark : "\(home.home)\(mark)!"
    }
}
