import Contract
import InventoryAPI

/// What any provider of `InventoryFacade` must do, written once: the
/// Inventory module in this process, `inventory-service` started by the
/// tests, and a deployed service checked by `banyan contract inventory`.
///
/// Every case works in tenants of its own with fresh menu item ids, so the
/// suite can run against a service that already holds data, and cases can
/// run in parallel.
public enum InventoryContract {
    public typealias Case = ContractCase<any InventoryFacade>

    /// Every case, in the order `banyan contract inventory` runs them.
    public static let cases: [Case] = stock + reservations + isolation + validation

    /// A tracked item with `quantity` on hand, set by a manager.
    static func stockedItem(
        _ inventory: any InventoryFacade, _ env: ContractEnvironment, quantity: Int, threshold: Int? = nil
    ) throws -> String {
        let item = env.newID()
        _ = try inventory.setStock(env.manager, menuItemID: item, SetStock(quantity: quantity, lowStockThreshold: threshold))
        return item
    }

    /// Checks what `item` can be sold and what is held, as a cashier sees it.
    static func expectLevel(
        _ inventory: any InventoryFacade, _ env: ContractEnvironment, _ item: String, quantity: Int, reserved: Int,
        _ when: String
    ) throws {
        let level = try Expect.some(try inventory.stockLevel(env.cashier, menuItemID: item), "stock level \(when)")
        try Expect.equal(level.quantity, quantity, "quantity \(when)")
        try Expect.equal(level.reserved, reserved, "reserved \(when)")
    }
}
