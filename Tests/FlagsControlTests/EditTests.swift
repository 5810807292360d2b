import Flags
import FlagsControl
import Foundation
import Testing

/// Each edit changes exactly what it names, on the line of its module, and
/// a result the gateway would refuse is refused with the parser's own error.
@Suite("FlagsDocument editing")
struct EditTests {
    static let shipped: FlagsDocument = {
        let bytes = try! Array(Data(contentsOf: repositoryFile("flags.json")))
        return try! FlagsDocument(parsing: bytes)
    }()

    private func lines(_ document: FlagsDocument) -> [String] {
        String(decoding: document.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The lines of `after` that differ from `before`'s, which must have as many.
    private func changedLines(_ before: FlagsDocument, _ after: FlagsDocument) -> [String] {
        let old = lines(before)
        let new = lines(after)
        #expect(old.count == new.count)
        return zip(old, new).filter { $0 != $1 }.map(\.1)
    }

    @Test("setting a tenant's home adds it after the module's other tenants, changing only that line")
    func setTenant() throws {
        let edited = try Self.shipped.applying(.setTenant(module: "auth", tenant: "demo-bistro", home: .service))
        #expect(
            changedLines(Self.shipped, edited) == [
                #"    "auth": { "default": "in-process", "tenants": { "demo-diner": "service", "demo-bistro": "service" } },"#
            ])
        #expect(edited.snapshot.route(module: "auth", tenant: "demo-bistro") == .service)
    }

    @Test("setting a tenant that is listed changes its entry in place")
    func setListedTenant() throws {
        let edited = try Self.shipped.applying(.setTenant(module: "payments", tenant: "demo-cafe", home: .inProcess))
        #expect(
            changedLines(Self.shipped, edited) == [
                #"    "payments": { "default": "in-process", "tenants": { "demo-cafe": "in-process", "demo-diner": "service" } },"#
            ])
    }

    @Test("an explicit entry equal to what the default gives is kept: it pins the tenant")
    func explicitPinKept() throws {
        let edited = try Self.shipped.applying(.setTenant(module: "orders", tenant: "demo-cafe", home: .inProcess))
        #expect(edited.module("orders")?.tenants.map(\.tenant) == ["demo-diner", "demo-cafe"])
        #expect(edited.snapshot.modules["orders"]?.tenants["demo-cafe"] == .inProcess)
        let removed = try edited.applying(.removeTenant(module: "orders", tenant: "demo-cafe"))
        #expect(removed == Self.shipped)
    }

    @Test("a rollout is written last on the line; 0% stays written; removing it restores the line")
    func rollout() throws {
        let edited = try Self.shipped.applying(.setRollout(module: "payments", home: .service, percent: 10))
        #expect(
            changedLines(Self.shipped, edited) == [
                #"    "payments": { "default": "in-process", "tenants": { "demo-cafe": "service", "demo-diner": "service" }, "rollout": { "service": 10 } },"#
            ])
        let zero = try edited.applying(.setRollout(module: "payments", home: .service, percent: 0))
        #expect(zero.module("payments")?.rollout == ModuleRouting.Rollout(route: .service, percent: 0))
        #expect(try zero.applying(.removeRollout(module: "payments")) == Self.shipped)
    }

    @Test("a module the file does not list is appended as in-process by default")
    func newModule() throws {
        let document = try FlagsDocument(parsing: Array(#"{"services": {"payments": "http://127.0.0.1:4004"}}"#.utf8))
        let edited = try document.applying(.setTenant(module: "payments", tenant: "demo-cafe", home: .service))
        #expect(edited.modules == [.init(name: "payments", defaultRoute: .inProcess, tenants: [("demo-cafe", .service)])])
    }

    @Test("the default changes; a rollout at the new default's home is refused by the parser")
    func setDefault() throws {
        let edited = try Self.shipped.applying(.setDefault(module: "chatbot", home: .service))
        #expect(
            changedLines(Self.shipped, edited) == [
                #"    "chatbot": { "default": "service", "tenants": { "demo-diner": "service" } }"#
            ])
        let withRollout = try Self.shipped.applying(.setRollout(module: "chatbot", home: .service, percent: 50))
        #expect(throws: FlagsError(
            field: "modules.chatbot.rollout.service",
            message: "must not be the default (\"service\"): a rollout homes tenants at another home, \"in-process\" or \"shadow\""
        )) {
            try withRollout.applying(.setDefault(module: "chatbot", home: .service))
        }
    }

    @Test("a service home without a service URL is refused with the parser's error")
    func serviceNeedsURL() throws {
        let withoutURL = try Self.shipped.applying(.setTenant(module: "chatbot", tenant: "demo-diner", home: .inProcess))
            .applying(.setService(module: "chatbot", url: nil))
        #expect(withoutURL.serviceURL("chatbot") == nil)
        #expect(throws: FlagsError(field: "services.chatbot", message: "is required: modules.chatbot routes to \"service\" for tenant demo-cafe")) {
            try withoutURL.applying(.setTenant(module: "chatbot", tenant: "demo-cafe", home: .service))
        }
        #expect(throws: FlagsError(field: "services.chatbot", message: "is required: modules.chatbot routes to \"service\" for a rollout of 0%")) {
            try withoutURL.applying(.setRollout(module: "chatbot", home: .service, percent: 0))
        }
        #expect(throws: FlagsError(field: "services.chatbot", message: "is required: modules.chatbot routes to \"service\" for tenant demo-diner")) {
            try Self.shipped.applying(.setService(module: "chatbot", url: nil))
        }
    }

    @Test("names, percentages and URLs the parser refuses are refused")
    func refusals() throws {
        #expect(throws: FlagsError(
            field: "modules.payments.tenants.Demo-Cafe",
            message: "is not a tenant id (2 to 63 lower-case letters, digits and inner hyphens)")) {
            try Self.shipped.applying(.setTenant(module: "payments", tenant: "Demo-Cafe", home: .service))
        }
        #expect(throws: FlagsError(field: "modules.Payments", message: "is not a module name ([a-z][a-z0-9_]*)")) {
            try Self.shipped.applying(.setDefault(module: "Payments", home: .inProcess))
        }
        #expect(throws: FlagsError(field: "modules.payments.rollout.service", message: "must be an integer from 0 to 100")) {
            try Self.shipped.applying(.setRollout(module: "payments", home: .service, percent: 101))
        }
        #expect(throws: FlagsError.self) {
            try Self.shipped.applying(.setService(module: "payments", url: "http://127.0.0.1:4004/"))
        }
        #expect(throws: FlagsError(
            field: "modules.billing",
            message: "is not a Banyan module (known: auth, chatbot, inventory, orders, payments, restaurant)")) {
            try Self.shipped.applying(
                .setDefault(module: "billing", home: .inProcess), knownModules: Set(generatedModules))
        }
    }

    @Test("an edit's result parses back to the routing the edit describes, over generated files")
    func generatedEdits() throws {
        var generator = SplitMix(seed: 11)
        var applied = 0
        for _ in 0..<400 {
            let document = FlagsDocument(snapshot: randomSnapshot(&generator))
            let module = generatedModules.randomElement(using: &generator)!
            let tenant = fewTenants.randomElement(using: &generator)!
            let home = ModuleRoute.allCases.randomElement(using: &generator)!
            let edit: FlagsEdit =
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: .setTenant(module: module, tenant: tenant, home: home)
                case 1: .setRollout(module: module, home: home, percent: Int.random(in: 0...100, using: &generator))
                default: .setDefault(module: module, home: home)
                }
            guard let edited = try? document.applying(edit) else { continue }
            applied += 1
            let before = document.snapshot.modules[module] ?? ModuleRouting(defaultRoute: .inProcess)
            let after = try #require(edited.snapshot.modules[module])
            switch edit {
            case .setTenant:
                #expect(after.tenants == before.tenants.merging([tenant: home]) { $1 })
                #expect(after.defaultRoute == before.defaultRoute && after.rollout == before.rollout)
            case .setRollout(_, _, let percent):
                #expect(after.rollout == ModuleRouting.Rollout(route: home, percent: percent))
                #expect(after.defaultRoute == before.defaultRoute && after.tenants == before.tenants)
            default:
                #expect(after.defaultRoute == home)
                #expect(after.tenants == before.tenants && after.rollout == before.rollout)
            }
            // Nothing else moved.
            #expect(edited.snapshot.services == document.snapshot.services)
            for other in generatedModules where other != module {
                #expect(edited.snapshot.modules[other] == document.snapshot.modules[other])
            }
            #expect(try FlagsDocument(parsing: edited.bytes) == edited)
        }
        #expect(applied > 100)
    }
}
