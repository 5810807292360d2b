import Foundation
import Platform
import Testing

@testable import Flags

/// `FlagsStore.routed(_:)`: a module registered once is resolved by its
/// slot, and must answer exactly as the lookup by name does, across a
/// reload and for a module flags.json does not mention.
@Suite("FlagsStore: routed modules")
struct RoutedModuleTests {
    @Test("a registered module resolves as by name, before and after a reload")
    func resolvesAsByName() throws {
        let directory = try FlagsDirectory()
        try directory.writeInPlace(paymentsFlags(tenants: ["moved-cafe": "service", "watched-cafe": "shadow"]))
        let store = try FlagsStore(path: directory.flagsPath, log: .discard)
        let payments = store.routed("payments")
        let inventory = store.routed("inventory")
        #expect(store.routed("payments").slot == payments.slot)
        #expect(inventory.slot != payments.slot)
        let tenants = ["moved-cafe", "watched-cafe", "home-cafe"]

        func agree() {
            for module in [payments, inventory] {
                for tenant in tenants {
                    let bySlot = store.resolve(module, tenant: tenant)
                    let byName = store.resolve(module: module.name, tenant: tenant)
                    #expect(bySlot.route == byName.route, "\(module.name)[\(tenant)]")
                    #expect(bySlot.serviceURL == byName.serviceURL, "\(module.name)[\(tenant)]")
                }
            }
        }
        #expect(store.resolve(payments, tenant: "moved-cafe") == (.service, "http://127.0.0.1:4004"))
        #expect(store.resolve(payments, tenant: "watched-cafe") == (.shadow, nil))
        #expect(store.resolve(inventory, tenant: "moved-cafe") == (.inProcess, nil))
        agree()

        try directory.writeAtomically(
            paymentsFlags(default: "service", tenants: ["home-cafe": "in-process"], url: "http://127.0.0.1:4104"))
        #expect(store.reloadNow())
        #expect(store.resolve(payments, tenant: "moved-cafe") == (.service, "http://127.0.0.1:4104"))
        #expect(store.resolve(payments, tenant: "home-cafe") == (.inProcess, nil))
        agree()
    }
}
