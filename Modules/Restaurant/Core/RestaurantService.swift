import Foundation
import Platform
import Postgres
import RestaurantAPI

/// The in-process implementation of `RestaurantFacade`, over the `restaurant` schema.
///
/// Every query runs in a transaction scoped to the caller's tenant
/// (`app.tenant`, which row-level security reads) and also filters on
/// `tenant_id` itself: two walls, so another restaurant's rows are never
/// seen, only ever "not found".
package final class RestaurantService: RestaurantFacade {
    let pool: PostgresPool

    /// What `profile` answers for a restaurant that never saved one.
    static let defaultCurrency = "USD"

    package init(pool: PostgresPool) {
        self.pool = pool
    }

    package func profile(_ context: CallContext) throws -> RestaurantProfile {
        try context.require(.cashier)
        let tenant = context.tenant.value
        let saved = try pool.autocommit(tenant: tenant) { try ProfileStore.find(tenant: tenant, on: $0) }
        return saved?.profile ?? RestaurantProfile(name: tenant, currency: Self.defaultCurrency)
    }

    package func updateProfile(_ context: CallContext, _ changes: RestaurantProfileChanges) throws -> RestaurantProfile {
        try context.require(.manager)
        let name = try changes.name.map { try RestaurantInput.name($0) }
        // Present but empty clears the field; absent leaves it as it is.
        let address = try changes.address.map(RestaurantInput.address)
        let phone = try changes.phone.map(RestaurantInput.phone)
        let currency = try changes.currency.map(RestaurantInput.currency)
        let tenant = context.tenant.value
        return try pool.transaction(tenant: tenant) {
            // An upsert: the first save of a profile starts from the defaults `profile` shows.
            try ProfileStore.save(
                name: name, address: address, phone: phone, currency: currency, defaultCurrency: Self.defaultCurrency,
                tenant: tenant, on: $0)
        }.profile
    }
}
