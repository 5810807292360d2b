import Contract
import InventoryAPI
import Platform

extension InventoryContract {
    static let stock: [Case] = [
        Case("a manager sets stock and a cashier reads it back") { inventory, env in
            let item = env.newID()
            let set = try inventory.setStock(env.manager, menuItemID: item, SetStock(quantity: 10, lowStockThreshold: 3))
            try Expect.equal(set.menuItemID, item, "menu_item_id")
            try Expect.equal(set.quantity, 10, "quantity")
            try Expect.equal(set.reserved, 0, "reserved")
            try Expect.equal(set.lowStockThreshold, 3, "low_stock_threshold")
            try Expect.equal(try inventory.stockLevel(env.cashier, menuItemID: item), set, "stock level read back")
            try Expect.equal(try inventory.stockLevels(env.cashier), [set], "stock levels of the tenant")
            // Setting again replaces the quantity and keeps the threshold when none is given.
            let reset = try inventory.setStock(env.admin, menuItemID: item, SetStock(quantity: 4))
            try Expect.equal(reset.quantity, 4, "quantity after setting it again")
            try Expect.equal(reset.lowStockThreshold, 3, "low_stock_threshold kept")
        },
        Case("an untracked item has no stock level and is never short") { inventory, env in
            let item = env.newID()
            try Expect.none(try inventory.stockLevel(env.cashier, menuItemID: item), "stock level of an untracked item")
            try Expect.equal(
                try inventory.shortages(env.cashier, lines: [StockLine(menuItemID: item, quantity: 1000)]), [],
                "shortages of an untracked item")
            try Expect.equal(try inventory.stockLevels(env.cashier), [], "stock levels of a tenant with none")
        },
        Case("adjustments add and remove stock but never below zero (insufficientStock)") { inventory, env in
            let item = try stockedItem(inventory, env, quantity: 5)
            try Expect.equal(
                try inventory.adjustStock(env.manager, menuItemID: item, StockAdjustment(delta: 3, reason: "delivery"))
                    .quantity, 8, "quantity after +3")
            try Expect.equal(
                try inventory.adjustStock(env.manager, menuItemID: item, StockAdjustment(delta: -8, reason: "waste"))
                    .quantity, 0, "quantity after -8")
            try Expect.error(InventoryError.insufficientStock, "adjusting by -1 at zero") {
                try inventory.adjustStock(env.manager, menuItemID: item, StockAdjustment(delta: -1, reason: "waste"))
            }
            try expectLevel(inventory, env, item, quantity: 0, reserved: 0, "after the refused adjustment")
            // A delivery of an untracked item starts tracking it from zero.
            let fresh = env.newID()
            try Expect.equal(
                try inventory.adjustStock(env.manager, menuItemID: fresh, StockAdjustment(delta: 4, reason: "delivery"))
                    .quantity, 4, "quantity of an untracked item after +4")
        },
        Case("held stock cannot be counted or adjusted away") { inventory, env in
            let item = try stockedItem(inventory, env, quantity: 5)
            _ = try inventory.reserve(env.cashier, ReserveStock(key: env.key("hold"), lines: [StockLine(menuItemID: item, quantity: 4)]))
            try Expect.error(InventoryError.insufficientStock, "setting stock below what is held") {
                try inventory.setStock(env.manager, menuItemID: item, SetStock(quantity: 3))
            }
            try Expect.error(InventoryError.insufficientStock, "adjusting below what is held") {
                try inventory.adjustStock(env.manager, menuItemID: item, StockAdjustment(delta: -2, reason: "waste"))
            }
            try expectLevel(inventory, env, item, quantity: 1, reserved: 4, "after the refusals")
        },
        Case("shortages name the items that cannot be supplied and change nothing") { inventory, env in
            let plenty = try stockedItem(inventory, env, quantity: 10)
            let scarce = try stockedItem(inventory, env, quantity: 1)
            let short = try inventory.shortages(
                env.cashier, lines: [StockLine(menuItemID: plenty, quantity: 5), StockLine(menuItemID: scarce, quantity: 2)])
            try Expect.equal(short, [scarce], "shortages")
            try expectLevel(inventory, env, scarce, quantity: 1, reserved: 0, "after asking")
        },
        Case("a cashier cannot set or adjust stock (AccessDenied)") { inventory, env in
            let item = try stockedItem(inventory, env, quantity: 5)
            try Expect.error(AccessDenied(needed: .manager), "set stock as cashier") {
                try inventory.setStock(env.cashier, menuItemID: item, SetStock(quantity: 50))
            }
            try Expect.error(AccessDenied(needed: .manager), "adjust stock as cashier") {
                try inventory.adjustStock(env.cashier, menuItemID: item, StockAdjustment(delta: 1, reason: "delivery"))
            }
            try Expect.error(AccessDenied(needed: .cashier), "read stock without a role") {
                try inventory.stockLevel(env.context(nil), menuItemID: item)
            }
            try expectLevel(inventory, env, item, quantity: 5, reserved: 0, "after the refusals")
        },
    ]
}
