import Dispatch
import Flags
import FlagsAudit
import FlagsControl
import Foundation
import Platform
import Routing
import Synchronization

/// `GET /admin/flags/status`: what `banyan flags status` prints, computed
/// here so every tool sees the one answer — the version in force and which
/// running gateways have applied it, each service's readiness and contract
/// verdict, and every tenant's home for every module (and why, and where
/// its calls actually go when the gate holds a service back). The CLI
/// decodes this very type.
package struct FlagsStatus: Codable, Sendable {
    package struct Service: Codable, Sendable {
        package let url: String
        package let ready: Bool
        /// Why it is not ready.
        package let problem: String?
        /// The gate's last verdict; null: not checked yet, or the service could not be asked.
        package let compatible: Bool?
        package let breaking: [String]
        /// This gateway's circuit breaker for the service; absent from a gateway older than breakers.
        package let breaker: Breaker?
    }

    /// A service's circuit breaker in the answering gateway (each gateway has its own).
    package struct Breaker: Codable, Sendable {
        /// `closed`, `open` or `half-open`; `closed` before any call went there.
        package let state: String
        package let consecutiveFailures: Int
        /// Percent of the calls in the last `window_seconds` that failed, and how many calls those were.
        package let errorRate: Int
        package let windowCalls: Int
        /// When it opened after last being closed; null while closed.
        package let openedAt: Date?
        package let lastFailure: String?
        package let lastFailureAt: Date?

        private enum CodingKeys: String, CodingKey {
            case state
            case consecutiveFailures = "consecutive_failures"
            case errorRate = "error_rate"
            case windowCalls = "window_calls"
            case openedAt = "opened_at"
            case lastFailure = "last_failure"
            case lastFailureAt = "last_failure_at"
        }

        init(_ snapshot: CircuitBreaker.Snapshot?) {
            state = snapshot?.state ?? CircuitBreaker.State.closed.rawValue
            consecutiveFailures = snapshot?.consecutiveFailures ?? 0
            errorRate = snapshot?.errorRate ?? 0
            windowCalls = snapshot?.windowCalls ?? 0
            openedAt = snapshot?.openedAt
            lastFailure = snapshot?.lastFailure
            lastFailureAt = snapshot?.lastFailureAt
        }
    }

    package struct Home: Codable, Sendable {
        package let home: String
        /// `explicit`, `rollout` or `default`.
        package let why: String
        /// Where its calls go now: `home`, unless the gate holds the service back (then `in-process`).
        package let served: String
    }

    package struct Tenant: Codable, Sendable {
        package let tenant: String
        package let homes: [String: Home]
    }

    package let applied: FlagsApplied
    /// Successful loads in the answering gateway.
    package let load: Int
    package let services: [String: Service]
    package let modules: [String]
    package let tenants: [Tenant]

    init(
        flags: FlagsStore, gate: ServiceGate, instances: GatewayInstances, modules: Set<String>,
        tenants: [String], unready: @escaping @Sendable (String) -> String?, breakers: CircuitBreakers = CircuitBreakers()
    ) throws {
        let snapshot = flags.current
        applied = try FlagsApplied(snapshot: snapshot, instances: instances)
        load = snapshot.version
        let verdicts = gate.current
        let breakerStates = Dictionary(
            breakers.snapshot(snapshot).map { ("\($0.module) \($0.url)", $0) }, uniquingKeysWith: { first, _ in first })
        services = Self.services(snapshot.services, verdicts: verdicts, unready: unready) { module, url in
            Breaker(breakerStates["\(module) \(url)"])
        }
        let homes = FlagsHomes(snapshot: snapshot, modules: modules, tenants: tenants)
        self.modules = homes.modules
        self.tenants = homes.tenants.map { tenant in
            var byModule: [String: Home] = [:]
            for module in homes.modules {
                guard let home = homes.home(tenant: tenant, module: module) else { continue }
                // Shadowed tenants are served here; a service the gate holds back serves nobody.
                let heldBack = home.route == .service && verdicts[module]?.compatible == false
                byModule[module] = Home(
                    home: home.route.rawValue, why: home.why.rawValue,
                    served: heldBack ? ModuleRoute.inProcess.rawValue : home.route.serving.rawValue)
            }
            return Tenant(tenant: tenant, homes: byModule)
        }
    }

    /// Each service asked `GET /ready` at once, not one after another: a
    /// dead one costs its timeout once, not once per service.
    private static func services(
        _ urls: [String: String], verdicts: [String: ServiceGate.Verdict], unready: @escaping @Sendable (String) -> String?,
        breaker: (_ module: String, _ url: String) -> Breaker
    ) -> [String: Service] {
        let entries = urls.sorted { $0.key < $1.key }
        let problems = Mutex([String: String?]())
        DispatchQueue.concurrentPerform(iterations: entries.count) { index in
            let (module, url) = entries[index]
            let problem = unready(url)
            problems.withLock { $0[module] = problem }
        }
        let found = problems.withLock { $0 }
        var services: [String: Service] = [:]
        for (module, url) in entries {
            let problem = found[module] ?? nil
            let verdict = verdicts[module]
            services[module] = Service(
                url: url, ready: problem == nil, problem: problem, compatible: verdict?.compatible,
                breaking: verdict?.breaking ?? [], breaker: breaker(module, url))
        }
        return services
    }
}
