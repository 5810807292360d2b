import Bootstrap
import Restaurant
import RestaurantAPI

/// Restaurant as the rest of Banyan composes it: its descriptor and its
/// facade. It declares no operations yet, so it runs in the monolith only;
/// docs/extracting-a-module.md is how that changes, here and nowhere else.
package enum RestaurantModule {
    package static let descriptor: ModuleDescriptor = ModuleDescriptor(
        name: "restaurant", schema: RestaurantSchema.module, publishesEvents: true)

    /// Restaurant for code in `host`: its implementation, called directly.
    package static func facade(in host: ModuleHost) -> any RestaurantFacade {
        RestaurantService(pool: host.database.pool(for: descriptor.name))
    }
}
