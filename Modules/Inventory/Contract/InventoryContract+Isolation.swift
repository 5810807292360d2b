import Contract
import InventoryAPI
import Platform

extension InventoryContract {
    static let isolation: [Case] = [
        Case("another tenant sees neither the stock nor the reservations") { inventory, env in
            let item = try stockedItem(inventory, env, quantity: 5)
            let key = env.key("mine")
            _ = try inventory.reserve(
                env.cashier, ReserveStock(key: key, lines: [StockLine(menuItemID: item, quantity: 2)]))
            let stranger = env.otherTenantContext(.admin)
            try Expect.none(try inventory.stockLevel(stranger, menuItemID: item), "other tenant: stock level")
            try Expect.equal(try inventory.stockLevels(stranger), [], "other tenant: stock levels")
            try Expect.error(InventoryError.reservationNotFound, "other tenant: commit") {
                try inventory.commit(stranger, key: key)
            }
            try Expect.error(InventoryError.reservationNotFound, "other tenant: release") {
                try inventory.release(stranger, key: key)
            }
            // The same key and item are the other tenant's own: untracked there, so accepted and nothing held.
            let theirs = try inventory.reserve(
                stranger, ReserveStock(key: key, lines: [StockLine(menuItemID: item, quantity: 5)]))
            try Expect.equal(theirs.status, .held, "other tenant: its own reservation")
            _ = try inventory.setStock(stranger, menuItemID: item, SetStock(quantity: 99))
            try expectLevel(inventory, env, item, quantity: 3, reserved: 2, "for the owner afterwards")
            try Expect.equal(try inventory.commit(env.cashier, key: key).status, .committed, "the owner's commit")
        },
    ]
}
