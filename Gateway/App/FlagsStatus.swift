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
        tenants: [String], unready: @escaping @Sendable (String) -> String?
    ) throws {
        let snapshot = flags.current
        applied = try FlagsApplied(snapshot: snapshot, instances: instances)
        load = snapshot.version
        let verdicts = gate.current
        services = Self.services(snapshot.services, verdicts: verdicts, unready: unready)
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
        _ urls: [String: String], verdicts: [String: ServiceGate.Verdict], unready: @escaping @Sendable (String) -> String?
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
                breaking: verdict?.breaking ?? [])
        }
        return services
    }
}
