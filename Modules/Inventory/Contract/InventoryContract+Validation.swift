import Contract
import InventoryAPI
import Platform

extension InventoryContract {
    static let validation: [Case] = [
        Case("invalid stock changes are refused with invalidInput naming the field") { inventory, env in
            let item = try stockedItem(inventory, env, quantity: 5)
            let invalid = InventoryError.invalidInput(field: "", reason: "")
            let checks: [(what: String, field: String, call: () throws -> StockLevel)] = [
                ("set stock of a menu item id that is not a UUID", "menu_item_id", {
                    try inventory.setStock(env.manager, menuItemID: "not-an-item", SetStock(quantity: 1))
                }),
                ("set stock to -1", "quantity", {
                    try inventory.setStock(env.manager, menuItemID: item, SetStock(quantity: -1))
                }),
                ("set a negative low-stock threshold", "low_stock_threshold", {
                    try inventory.setStock(env.manager, menuItemID: item, SetStock(quantity: 1, lowStockThreshold: -1))
                }),
                ("adjust by zero", "delta", {
                    try inventory.adjustStock(env.manager, menuItemID: item, StockAdjustment(delta: 0, reason: "nothing"))
                }),
                ("adjust without a reason", "reason", {
                    try inventory.adjustStock(env.manager, menuItemID: item, StockAdjustment(delta: 1, reason: " "))
                }),
            ]
            for (what, field, call) in checks {
                let error = try Expect.error(invalid, what, call)
                try Expect.that(error.detail.hasPrefix(field), "the error for \(what) names \(field) (\(error.detail))")
            }
            try expectLevel(inventory, env, item, quantity: 5, reserved: 0, "after the refusals")
        },
        Case("invalid reservations are refused with invalidInput and hold nothing") { inventory, env in
            let item = try stockedItem(inventory, env, quantity: 5)
            let line = StockLine(menuItemID: item, quantity: 1)
            let invalid = InventoryError.invalidInput(field: "", reason: "")
            let requests: [(what: String, field: String, request: ReserveStock)] = [
                ("no lines", "lines", ReserveStock(key: env.key("empty"), lines: [])),
                ("a line of 0", "lines.0.quantity", ReserveStock(key: env.key("zero"), lines: [StockLine(menuItemID: item, quantity: 0)])),
                ("a line of 1001", "lines.0.quantity", ReserveStock(key: env.key("huge"), lines: [StockLine(menuItemID: item, quantity: 1001)])),
                ("a line whose item is not a UUID", "lines.1.menu_item_id", ReserveStock(key: env.key("bad-item"), lines: [line, StockLine(menuItemID: "x", quantity: 1)])),
                ("an empty key", "key", ReserveStock(key: "", lines: [line])),
            ]
            for (what, field, request) in requests {
                let error = try Expect.error(invalid, "reserve with \(what)") { try inventory.reserve(env.cashier, request) }
                try Expect.that(error.detail.hasPrefix(field), "the error for \(what) names \(field) (\(error.detail))")
            }
            try Expect.error(invalid, "commit with an empty key") { try inventory.commit(env.cashier, key: "") }
            try Expect.error(invalid, "release with an empty key") { try inventory.release(env.cashier, key: "") }
            try expectLevel(inventory, env, item, quantity: 5, reserved: 0, "after the refusals")
        },
    ]
}
