import BanyanTestSupport
import Foundation
import Platform
import Postgres
import Restaurant
import RestaurantAPI

/// One fresh database with the restaurant schema and a service over it.
struct RestaurantFixture {
    let database: Database
    let service: RestaurantService

    init(poolSize: Int = 4) throws {
        database = try TestDatabase.open(
            modules: [RestaurantSchema.module], prefix: "restaurant", poolSize: poolSize, poolWaitTimeout: 30)
        service = RestaurantService(pool: database.pool(for: "restaurant"))
    }

    func shutdown() { database.shutdown() }

    static func context(_ tenant: String = "t-rest-a", role: Role? = .admin) -> CallContext {
        CallContext(tenant: TenantID(tenant)!, userID: "u1", role: role, requestID: "test")
    }

    /// Creates an item as a manager of `tenant`.
    @discardableResult
    func item(
        _ name: String, price: Int64 = 500, category: String? = nil, available: Bool = true,
        tenant: String = "t-rest-a"
    ) throws -> MenuItem {
        try service.createMenuItem(
            Self.context(tenant, role: .manager),
            NewMenuItem(name: name, priceCents: price, category: category, available: available))
    }
}
