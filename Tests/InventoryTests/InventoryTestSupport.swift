import BanyanTestSupport
import Foundation
import Inventory
import InventoryAPI
import Platform
import Postgres
import Synchronization

/// One fresh database with the inventory schema, a service over it, and the
/// direct reads the tests need to look behind the facade.
///
/// A suite owns one per test (made in its `init`, shut down in its
/// `deinit`); a test that needs a bigger pool scopes its own with
/// `InventoryFixture.with`.
struct InventoryFixture {
    let database: Database
    let pool: PostgresPool
    let service: InventoryService

    init(poolSize: Int = 4) throws {
        database = try TestDatabase.open(
            modules: [InventorySchema.module], prefix: "inventory", poolSize: poolSize, poolWaitTimeout: 30)
        pool = database.pool(for: "inventory")
        service = InventoryService(pool: pool)
    }

    func shutdown() { database.shutdown() }

    /// Runs `body` with a fixture of its own, shut down when it returns.
    static func with<Value>(poolSize: Int, _ body: (InventoryFixture) throws -> Value) throws -> Value {
        let fixture = try InventoryFixture(poolSize: poolSize)
        defer { fixture.shutdown() }
        return try body(fixture)
    }

    static func context(_ tenant: String = "t-inv-a", role: Role? = .admin) -> CallContext {
        CallContext(tenant: TenantID(tenant)!, userID: "u1", role: role, requestID: "test")
    }

    static func newItem() -> String { UUID().uuidString.lowercased() }

    /// Tracks `item` with `quantity` on hand, as a manager of `tenant`.
    @discardableResult
    func stock(_ item: String, _ quantity: Int, threshold: Int? = nil, tenant: String = "t-inv-a") throws
        -> StockLevel
    {
        try service.setStock(
            Self.context(tenant, role: .manager), menuItemID: item,
            SetStock(quantity: quantity, lowStockThreshold: threshold))
    }

    /// The raw row, straight from the table, nil when untracked.
    func row(_ item: String, tenant: String = "t-inv-a") throws -> InventoryCounts? {
        try pool.transaction(tenant: tenant) { db in
            try db.query(
                """
                SELECT on_hand, reserved FROM inventory.stock
                WHERE tenant_id = \(tenant) AND menu_item_id = \(item)::uuid
                """
            ).first.map { InventoryCounts(try $0.int("on_hand"), try $0.int("reserved")) }
        }
    }

    /// Payloads of the `StockLow` events in the outbox, oldest first.
    func stockLowEvents(tenant: String = "t-inv-a") throws -> [StockLow] {
        try pool.transaction(tenant: tenant) { db in
            try db.query(
                """
                SELECT payload::text AS payload FROM inventory.outbox
                WHERE tenant_id = \(tenant) AND event_type = 'StockLow' ORDER BY id
                """
            ).map { try JSONDecoder().decode(StockLow.self, from: Data(try $0.string("payload").utf8)) }
        }
    }

    /// The audit trail of `item`: (reason, on_hand_delta, reserved_delta), oldest first.
    func movements(_ item: String, tenant: String = "t-inv-a") throws -> [(reason: String, onHand: Int, reserved: Int)]
    {
        try pool.transaction(tenant: tenant) { db in
            try db.query(
                """
                SELECT reason, on_hand_delta, reserved_delta FROM inventory.stock_movements
                WHERE tenant_id = \(tenant) AND menu_item_id = \(item)::uuid ORDER BY id
                """
            ).map { (try $0.string("reason"), try $0.int("on_hand_delta"), try $0.int("reserved_delta")) }
        }
    }
}

/// `inventory.stock`'s two counters as stored.
struct InventoryCounts: Equatable, CustomStringConvertible {
    var onHand: Int
    var reserved: Int

    init(_ onHand: Int, _ reserved: Int) {
        self.onHand = onHand
        self.reserved = reserved
    }

    var description: String { "on_hand \(onHand), reserved \(reserved)" }
}

/// Results gathered from many threads at once.
final class InventoryOutcomes<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}
