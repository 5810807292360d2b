import Bootstrap
import Contract
import Facade
import Inventory
import InventoryAPI
import InventoryContract

/// Inventory as the rest of Banyan composes it: its descriptor (what every
/// process and tool reads) and its facade as the gateway and the tests get it.
package enum InventoryModule {
    package static let descriptor: ModuleDescriptor = ModuleDescriptor(
        name: "inventory", schema: InventorySchema.module, publishesEvents: true,
        service: ServiceDescriptor(
            executable: "inventory-service", defaultPort: 4003, interface: InventoryOperations.interface,
            contract: ContractSuite(cases: InventoryContract.cases, client: client)
        ) { host in InventoryService(pool: host.database.pool(for: descriptor.name)).operations() })

    /// Inventory for code in `host`: calls go where the host routes them.
    package static func facade(in host: ModuleHost) -> any InventoryFacade {
        client(host.transport(to: descriptor))
    }

    /// `InventoryFacade` over any transport to Inventory's operations.
    @Sendable package static func client(_ transport: any Transport) -> any InventoryFacade {
        InventoryClient(transport: transport)
    }
}
