import BanyanTestSupport
import Foundation
import Platform
import Postgres
import Restaurant
import RestaurantAPI

/// One fresh database with the restaurant schema and a service over it.
///
/// A suite owns one per test (made in its `init`, shut down in its
/// `deinit`); a test that needs a bigger pool scopes its own with
/// `RestaurantFixture.with`.
struct RestaurantFixture {
    let database: Database
    let service: RestaurantService

    init(poolSize: Int = 4) throws {
        database = try TestDatabase.open(
            modules: [RestaurantSchema.module], prefix: "restaurant", poolSize: poolSize, poolWaitTimeout: 30)
        service = RestaurantService(pool: database.pool(for: "restaurant"))
    }

    func shutdown() { database.shutdown() }

    /// Runs `body` with a fixture of its own, shut down when it returns.
    static func with<Value>(poolSize: Int, _ body: (RestaurantFixture) throws -> Value) throws -> Value {
        let fixture = try RestaurantFixture(poolSize: poolSize)
        defer { fixture.shutdown() }
        return try body(fixture)
    }

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
