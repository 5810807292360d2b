import BanyanTestSupport
import Contract
import Facade
import Flags
import Foundation
import InventoryAPI
import OrdersAPI
import OrdersContract
import PaymentsAPI
import RestaurantAPI
import Routing
import Testing

/// The checkout saga's contract (`OrdersContract.saga`: placed, declined,
/// out of stock, unknown items, cancel, replay) against every home a
/// tenant's Orders, Payments and Inventory can have: 2^3 combinations, each
/// a real gateway with the real service executables of the modules homed
/// in services beside it, over one PostgreSQL.
///
/// The cases call as a client that hosts no module does (placement
/// `.client`): Orders at its home — orders-service, or the monolith's
/// internal listener — and Restaurant and Inventory (where a case stocks its
/// menu) at theirs. The saga itself then runs wherever Orders is homed and
/// reaches Payments and Inventory at their homes by the same flags.json. The
/// services' request logs prove where each step ran.
@Suite(.serialized) struct SagaHomesContractTests {
    /// Where a tenant's three saga modules live; `true` is their service.
    struct Homes: Sendable, CustomTestStringConvertible {
        var orders: Bool
        var payments: Bool
        var inventory: Bool

        static let all: [Homes] = (0..<8).map { Homes(orders: $0 & 4 != 0, payments: $0 & 2 != 0, inventory: $0 & 1 != 0) }

        /// The modules homed in their services.
        var inServices: [String] {
            [("orders", orders), ("payments", payments), ("inventory", inventory)].filter(\.1).map(\.0)
        }

        var testDescription: String {
            [("orders", orders), ("payments", payments), ("inventory", inventory)]
                .map { "\($0.0)=\($0.1 ? "service" : "in-process")" }.joined(separator: " ")
        }
    }

    @Test("the checkout saga keeps its contract wherever its modules are homed", arguments: Homes.all)
    func sagaContract(_ homes: Homes) throws {
        let app = try TestGateway()
        var services: [String: ServiceProcess] = [:]
        defer { for service in services.values { service.stop() } }
        for module in homes.inServices {
            services[module] = try ServiceProcess.start("\(module)-service", beside: app)
        }
        // Every tenant's home by the modules' defaults: the cases make fresh tenants of their own.
        try app.route(
            services: services.mapValues(\.url),
            defaults: Dictionary(uniqueKeysWithValues: homes.inServices.map { ($0, "service") }))
        if let orders = services["orders"] {
            // It routes the saga's charges and reservations by the same file: wait, bounded, until it has read it.
            #expect(
                app.eventually(within: 10) { orders.log.contains("flags loaded") }, "orders-service log:\n\(orders.log)")
        }

        let router = ModuleRouter(
            flags: try FlagsStore(path: app.flagsPath, log: .discard), calls: ServiceCalls(secret: app.serviceSecret),
            placement: .client, monolithURL: app.internalURL)
        let transport = router.transport(to: [
            OrdersOperations.interface, RestaurantOperations.interface, InventoryOperations.interface,
        ])
        let provider = OrdersContract.Provider(
            orders: OrdersClient(transport: transport), restaurant: RestaurantClient(transport: transport),
            inventory: InventoryClient(transport: transport))

        var tenants: [String] = []
        for contractCase in OrdersContract.saga {
            let environment = ContractEnvironment.fresh()
            tenants.append(environment.tenant.value)
            let result = ContractRunner.run(contractCase, against: provider, in: environment)
            #expect(result.failure == nil, "\(homes.testDescription): \(contractCase.name): \(result.failure ?? "")")
        }

        // Where the saga ran: each service served every tenant that used its
        // module. A module homed in-process has no service running to serve it.
        let charged = try tenants.filter { try app.paymentRows(tenant: $0) > 0 }
        #expect(!charged.isEmpty, "some saga case takes a card payment")
        for tenant in tenants {
            if let orders = services["orders"] {
                #expect(
                    app.eventually(within: 10) { orders.handled("orders.place", tenant: tenant) },
                    "\(homes.testDescription): orders-service placed no order for \(tenant):\n\(orders.log)")
            }
            if let payments = services["payments"], charged.contains(tenant) {
                #expect(
                    app.eventually(within: 10) { payments.handled("payments.charge", tenant: tenant) },
                    "\(homes.testDescription): payments-service took no charge for \(tenant):\n\(payments.log)")
            }
        }
        if let inventory = services["inventory"] {
            // Every case but unknown_items reserves stock; that one is refused before Inventory is asked.
            #expect(
                app.eventually(within: 10) {
                    tenants.filter { inventory.handled("inventory.reserve", tenant: $0) }.count == tenants.count - 1
                }, "\(homes.testDescription): inventory-service did not reserve for all but one tenant:\n\(inventory.log)")
        }
    }
}
