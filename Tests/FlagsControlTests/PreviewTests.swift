import Flags
import FlagsControl
import Foundation
import Testing

/// The preview lists exactly the tenants whose home moves, agreeing with
/// `route(module:tenant:)` on both files, in a fixed order.
@Suite("FlagsPreview")
struct PreviewTests {
    static let shipped: FlagsDocument = EditTests.shipped

    @Test("a tenant pinned to the service: one tenant change, explicit, and no module change")
    func pin() throws {
        let candidate = try Self.shipped.applying(.setTenant(module: "auth", tenant: "demo-bistro", home: .service))
        let preview = FlagsPreview(from: Self.shipped.snapshot, to: candidate.snapshot, tenants: ["demo-bistro"])
        #expect(preview.moduleChanges.isEmpty)
        #expect(
            preview.tenantChanges == [
                .init(module: "auth", tenant: "demo-bistro", from: .inProcess, to: .service, why: .explicit)
            ])
        #expect(
            preview.description == """
                MODULE  TENANT       FROM        TO       WHY
                auth    demo-bistro  in-process  service  explicit
                1 tenant home changes.
                """)
    }

    @Test("tenants named only in the files are included without being passed")
    func namedTenantsIncluded() throws {
        let candidate = try Self.shipped.applying(.setDefault(module: "orders", home: .service))
        let preview = FlagsPreview(from: Self.shipped.snapshot, to: candidate.snapshot, tenants: [String]())
        // demo-diner is on the service already; demo-cafe is named (by payments) and moves by the default.
        #expect(
            preview.tenantChanges == [
                .init(module: "orders", tenant: "demo-cafe", from: .inProcess, to: .service, why: .default)
            ])
        #expect(preview.moduleChanges == [.init(module: "orders", field: .default, from: "in-process", to: "service")])
    }

    @Test("module-level changes: URLs, then each module's default and rollout, sorted by module")
    func moduleChanges() throws {
        let candidate = try Self.shipped
            .applying(.setRollout(module: "restaurant", home: .service, percent: 100))
            .applying(.setService(module: "auth", url: "https://auth.internal:8443"))
            .applying(.setTenant(module: "chatbot", tenant: "demo-diner", home: .inProcess))
            .applying(.setService(module: "chatbot", url: nil))
            .applying(.setDefault(module: "inventory", home: .service))
        let preview = FlagsPreview(from: Self.shipped.snapshot, to: candidate.snapshot, tenants: ["new-one"])
        #expect(
            preview.moduleChanges == [
                .init(module: "auth", field: .service, from: "http://127.0.0.1:4001", to: "https://auth.internal:8443"),
                .init(module: "chatbot", field: .service, from: "http://127.0.0.1:4006", to: nil),
                .init(module: "inventory", field: .default, from: "in-process", to: "service"),
                .init(module: "restaurant", field: .rollout, from: nil, to: "service 100%"),
            ])
        #expect(
            preview.tenantChanges == [
                .init(module: "chatbot", tenant: "demo-diner", from: .service, to: .inProcess, why: .explicit),
                .init(module: "inventory", tenant: "new-one", from: .inProcess, to: .service, why: .default),
                .init(module: "restaurant", tenant: "demo-cafe", from: .inProcess, to: .service, why: .rollout),
                .init(module: "restaurant", tenant: "new-one", from: .inProcess, to: .service, why: .rollout),
            ])
        #expect(
            preview.description == """
                services.auth: http://127.0.0.1:4001 → https://auth.internal:8443
                services.chatbot: http://127.0.0.1:4006 → none
                inventory default: in-process → service
                restaurant rollout: none → service 100%
                MODULE      TENANT      FROM        TO          WHY
                chatbot     demo-diner  service     in-process  explicit
                inventory   new-one     in-process  service     default
                restaurant  demo-cafe   in-process  service     rollout
                restaurant  new-one     in-process  service     rollout
                4 tenant homes change.
                """)
    }

    @Test("no change, and a change that moves nobody, say so")
    func nothing() throws {
        let same = FlagsPreview(from: Self.shipped.snapshot, to: Self.shipped.snapshot, tenants: ["a1", "b2"])
        #expect(same.isEmpty)
        #expect(same.description == "No change.")
        let zero = try Self.shipped.applying(.setRollout(module: "orders", home: .service, percent: 0))
        let preview = FlagsPreview(from: Self.shipped.snapshot, to: zero.snapshot, tenants: ["a1", "b2"])
        #expect(preview.tenantChanges.isEmpty)
        #expect(preview.description == "orders rollout: none → service 0%\nNo tenant changes home.")
    }

    @Test("JSON: the API's shape, and it decodes to the same preview")
    func codable() throws {
        let candidate = try Self.shipped.applying(.setRollout(module: "payments", home: .service, percent: 100))
        let preview = FlagsPreview(from: Self.shipped.snapshot, to: candidate.snapshot, tenants: ["demo-bistro"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(preview), as: UTF8.self)
        #expect(
            json
                == #"{"moduleChanges":[{"field":"rollout","module":"payments","to":"service 100%"}],"tenantChanges":[{"from":"in-process","module":"payments","tenant":"demo-bistro","to":"service","why":"rollout"}]}"#
        )
        #expect(try JSONDecoder().decode(FlagsPreview.self, from: Data(json.utf8)) == preview)
    }

    @Test("over generated file pairs and 500 tenants, the preview is exactly the routes that differ")
    func agreesWithRouting() throws {
        var generator = SplitMix(seed: 2026)
        let tenants = generatedTenants(500)
        var moved = 0
        var reasons: Set<FlagsPreview.Reason> = []
        for _ in 0..<60 {
            let current = randomSnapshot(&generator, tenants: Array(tenants.prefix(40)))
            let candidate = randomSnapshot(&generator, tenants: Array(tenants.prefix(40)))
            let preview = FlagsPreview(from: current, to: candidate, tenants: tenants)
            var expected: [FlagsPreview.TenantChange] = []
            for module in (generatedModules + ["unlisted"]).sorted() {
                for tenant in tenants.sorted() {
                    let from = current.route(module: module, tenant: tenant)
                    let to = candidate.route(module: module, tenant: tenant)
                    guard from != to else { continue }
                    let routing = candidate.modules[module]
                    let why: FlagsPreview.Reason =
                        if routing?.tenants[tenant] != nil {
                            .explicit
                        } else if let rollout = routing?.rollout,
                            ModuleRouting.cohortBucket(module: module, tenant: tenant) < rollout.percent
                        {
                            .rollout
                        } else {
                            .default
                        }
                    expected.append(.init(module: module, tenant: tenant, from: from, to: to, why: why))
                }
            }
            #expect(preview.tenantChanges == expected)
            moved += expected.count
            reasons.formUnion(expected.map(\.why))
        }
        #expect(reasons == Set(FlagsPreview.Reason.allCases))
        // The generated pairs do move tenants by every reason, so the comparison has something to compare.
        #expect(moved > 1000)
    }
}
