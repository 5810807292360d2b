import Bootstrap
import Contract
import Facade
import Restaurant
import RestaurantAPI
import RestaurantContract

/// Restaurant as the rest of Banyan composes it: its descriptor (what every
/// process and tool reads) and its facade as the gateway and the tests get it.
package enum RestaurantModule {
    package static let descriptor: ModuleDescriptor = ModuleDescriptor(
        name: "restaurant", schema: RestaurantSchema.module, publishesEvents: true,
        service: ServiceDescriptor(
            executable: "restaurant-service", defaultPort: 4005, interface: RestaurantOperations.interface,
            contract: ContractSuite(cases: RestaurantContract.cases, client: client)
        ) { host in RestaurantService(pool: host.database.pool(for: descriptor.name)).operations() })

    /// Restaurant for code in `host`: calls go where the host routes them.
    package static func facade(in host: ModuleHost) -> any RestaurantFacade {
        client(host.transport(to: descriptor))
    }

    /// `RestaurantFacade` over any transport to Restaurant's operations.
    @Sendable package static func client(_ transport: any Transport) -> any RestaurantFacade {
        RestaurantClient(transport: transport)
    }
}
