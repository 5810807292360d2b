import Flags
import Foundation

/// The repository's own files (flags.json as shipped), found from this source file.
func repositoryFile(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(name)
}

let generatedModules = ["payments", "inventory", "auth", "restaurant", "orders", "chatbot"]
let fewTenants = ["demo-cafe", "demo-diner", "demo-bistro", "t-01", "t-02", "t-03"]

/// `count` tenant ids in TenantID's alphabet, distinct.
func generatedTenants(_ count: Int) -> [String] {
    (0..<count).map { "tenant-\($0)" }
}

/// A random valid routing: any module may be listed or not, any default,
/// any pins, any rollout at another home, any fallback and breaker keys; a URL wherever the parser needs one (and sometimes elsewhere).
func randomSnapshot(_ generator: inout SplitMix, tenants: [String] = fewTenants) -> FlagsSnapshot {
    var services: [String: String] = [:]
    var modules: [String: ModuleRouting] = [:]
    for (index, module) in generatedModules.enumerated() where Bool.random(using: &generator) {
        let defaultRoute = ModuleRoute.allCases.randomElement(using: &generator)!
        var pins: [String: ModuleRoute] = [:]
        for tenant in tenants where Int.random(in: 0..<4, using: &generator) == 0 {
            pins[tenant] = ModuleRoute.allCases.randomElement(using: &generator)!
        }
        let other = ModuleRoute.allCases.filter { $0 != defaultRoute }.randomElement(using: &generator)!
        let rollout =
            Bool.random(using: &generator)
            ? ModuleRouting.Rollout(route: other, percent: [0, 1, 10, 50, 99, 100].randomElement(using: &generator)!)
            : nil
        var policy = ServicePolicy.standard
        if Bool.random(using: &generator) { policy.fallback = .inProcess }
        for key in BreakerSettings.keys where Int.random(in: 0..<3, using: &generator) == 0 {
            policy.breaker[keyPath: key.path] = Int.random(in: key.range, using: &generator)
        }
        let routing = ModuleRouting(defaultRoute: defaultRoute, tenants: pins, rollout: rollout, policy: policy)
        modules[module] = routing
        let needsURL = routing.usesService
        if needsURL || Bool.random(using: &generator) {
            services[module] = "http://127.0.0.1:\(4001 + index + 10 * Int.random(in: 0..<2, using: &generator))"
        }
    }
    return FlagsSnapshot(
        services: services, modules: modules, source: "generated", loadedAt: Date(timeIntervalSince1970: 0), version: 0)
}
