import Foundation
import Testing

@Suite struct ArchitectureTests {
    /// The real package: every target and its declared dependencies.
    static func packageTargets() throws -> [DependencyRules.Target] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("banyan-arch-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // A scratch path of its own: the test run may hold the lock on .build.
        process.arguments = ["swift", "package", "--package-path", root.path, "--scratch-path", scratch.path, "dump-package"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "swift package dump-package failed")

        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let targets = try #require(json["targets"] as? [[String: Any]])
        return targets.compactMap { target in
            guard let name = target["name"] as? String, let path = target["path"] as? String else { return nil }
            let dependencies = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
                // {"byName": ["X", null]} or {"target": ["X", null]}
                ((dependency["byName"] ?? dependency["target"]) as? [Any])?.first as? String
            }
            return DependencyRules.Target(name: name, path: path, dependencies: dependencies)
        }
    }

    @Test func thePackageHasNoForbiddenDependency() throws {
        let targets = try Self.packageTargets()
        #expect(targets.contains { $0.name == "AuthAPI" }, "the dump did not list the module targets")
        #expect(DependencyRules.violations(in: targets) == [])
    }

    @Test func everyModuleTargetLivesWhereItsRoleSays() throws {
        let targets = try Self.packageTargets()
        for target in targets where target.path.hasPrefix("Modules/") && !target.path.hasPrefix("Modules/Platform") {
            let role = DependencyRules.role(ofPath: target.path)
            if case .api = role { #expect(target.name.hasSuffix("API"), "\(target.name) is an API target") }
        }
    }

    static let forbidden: [(String, [DependencyRules.Target])] = [
        ("Core → other Core", [
            .init(name: "Orders", path: "Modules/Orders/Core", dependencies: ["Payments"]),
            .init(name: "Payments", path: "Modules/Payments/Core", dependencies: []),
        ]),
        ("API → Core", [
            .init(name: "PaymentsAPI", path: "Modules/Payments/API", dependencies: ["Payments"]),
            .init(name: "Payments", path: "Modules/Payments/Core", dependencies: []),
        ]),
        ("Platform → module", [
            .init(name: "HTTPServer", path: "Modules/Platform/HTTPServer", dependencies: ["AuthAPI"]),
            .init(name: "AuthAPI", path: "Modules/Auth/API", dependencies: []),
        ]),
        ("service → another module", [
            .init(name: "payments-service", path: "Services/PaymentsService", dependencies: ["Orders"]),
            .init(name: "Orders", path: "Modules/Orders/Core", dependencies: []),
        ]),
        ("service → gateway", [
            .init(name: "payments-service", path: "Services/PaymentsService", dependencies: ["Gateway"]),
            .init(name: "Gateway", path: "Gateway/App", dependencies: []),
        ]),
        ("composition → another module's Core", [
            .init(name: "OrdersModule", path: "Modules/Orders/Module", dependencies: ["Payments"]),
            .init(name: "Payments", path: "Modules/Payments/Core", dependencies: []),
        ]),
        ("Core → composition", [
            .init(name: "Orders", path: "Modules/Orders/Core", dependencies: ["PaymentsModule"]),
            .init(name: "PaymentsModule", path: "Modules/Payments/Module", dependencies: []),
        ]),
        ("Platform → composition", [
            .init(name: "Bootstrap", path: "Modules/Platform/Bootstrap", dependencies: ["PaymentsModule"]),
            .init(name: "PaymentsModule", path: "Modules/Payments/Module", dependencies: []),
        ]),
        ("service → another module's composition", [
            .init(name: "inventory-service", path: "Services/InventoryService", dependencies: ["PaymentsModule"]),
            .init(name: "PaymentsModule", path: "Modules/Payments/Module", dependencies: []),
        ]),
        ("service → registry", [
            .init(name: "payments-service", path: "Services/PaymentsService", dependencies: ["ModuleRegistry"]),
            .init(name: "ModuleRegistry", path: "Gateway/Registry", dependencies: []),
        ]),
        ("cycle", [
            .init(name: "A", path: "Modules/Platform/A", dependencies: ["B"]),
            .init(name: "B", path: "Modules/Platform/B", dependencies: ["A"]),
        ]),
    ]

    @Test(arguments: forbidden.map(\.0))
    func theRulesCatchAForbiddenEdge(_ name: String) {
        let graph = Self.forbidden.first { $0.0 == name }!.1
        #expect(!DependencyRules.violations(in: graph).isEmpty)
    }

    @Test func theRulesAllowTheIntendedShape() {
        let graph: [DependencyRules.Target] = [
            .init(name: "Platform", path: "Modules/Platform/Common", dependencies: []),
            .init(name: "PaymentsAPI", path: "Modules/Payments/API", dependencies: ["Platform"]),
            .init(name: "Payments", path: "Modules/Payments/Core", dependencies: ["PaymentsAPI", "Platform"]),
            .init(name: "PaymentsContract", path: "Modules/Payments/Contract", dependencies: ["PaymentsAPI", "Platform"]),
            .init(name: "Orders", path: "Modules/Orders/Core", dependencies: ["PaymentsAPI"]),
            .init(
                name: "PaymentsModule", path: "Modules/Payments/Module",
                dependencies: ["Payments", "PaymentsAPI", "PaymentsContract", "Platform"]),
            .init(name: "OrdersModule", path: "Modules/Orders/Module", dependencies: ["Orders", "PaymentsAPI"]),
            .init(name: "ModuleRegistry", path: "Gateway/Registry", dependencies: ["PaymentsModule", "OrdersModule"]),
            .init(name: "Gateway", path: "Gateway/App", dependencies: ["ModuleRegistry", "PaymentsModule", "Payments"]),
            .init(name: "payments-service", path: "Services/PaymentsService", dependencies: ["PaymentsModule", "Platform"]),
        ]
        #expect(DependencyRules.violations(in: graph) == [])
    }
}
