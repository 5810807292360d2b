import Contract
import InventoryAPI
import Platform

extension InventoryContract {
    static let reservations: [Case] = [
        Case("a reservation holds all lines or none; outOfStock names the short items") { inventory, env in
            let plenty = try stockedItem(inventory, env, quantity: 5)
            let scarce = try stockedItem(inventory, env, quantity: 1)
            let untracked = env.newID()
            let tooMuch = ReserveStock(
                key: env.key("too-much"),
                lines: [StockLine(menuItemID: plenty, quantity: 2), StockLine(menuItemID: scarce, quantity: 2)])
            let refused = try Expect.error(InventoryError.outOfStock([]), "reserving more than is on hand") {
                try inventory.reserve(env.cashier, tooMuch)
            }
            try Expect.equal(refused.items, [scarce], "items named by outOfStock")
            try expectLevel(inventory, env, plenty, quantity: 5, reserved: 0, "after the refused reservation")
            try Expect.error(InventoryError.reservationNotFound, "committing the refused reservation's key") {
                try inventory.commit(env.cashier, key: tooMuch.key)
            }

            let fits = ReserveStock(
                key: env.key("fits"),
                lines: [
                    StockLine(menuItemID: plenty, quantity: 2), StockLine(menuItemID: scarce, quantity: 1),
                    StockLine(menuItemID: untracked, quantity: 7),
                ])
            let held = try inventory.reserve(env.cashier, fits)
            try Expect.equal(held.key, fits.key, "key")
            try Expect.equal(held.status, .held, "status")
            try Expect.equal(Set(held.lines), Set(fits.lines), "lines")
            try expectLevel(inventory, env, plenty, quantity: 3, reserved: 2, "after the reservation")
            try expectLevel(inventory, env, scarce, quantity: 0, reserved: 1, "after the reservation")
            try Expect.none(try inventory.stockLevel(env.cashier, menuItemID: untracked), "the untracked item stays untracked")
        },
        Case("a reservation is idempotent by key and holds stock once") { inventory, env in
            let item = try stockedItem(inventory, env, quantity: 5)
            let request = ReserveStock(key: env.key("once"), lines: [StockLine(menuItemID: item, quantity: 2)])
            let first = try inventory.reserve(env.cashier, request)
            try Expect.equal(try inventory.reserve(env.cashier, request), first, "the repeated reservation")
            try expectLevel(inventory, env, item, quantity: 3, reserved: 2, "after reserving twice")
        },
        Case("the same key with other lines is keyReused") { inventory, env in
            let item = try stockedItem(inventory, env, quantity: 5)
            let key = env.key("reused")
            _ = try inventory.reserve(env.cashier, ReserveStock(key: key, lines: [StockLine(menuItemID: item, quantity: 2)]))
            try Expect.error(InventoryError.keyReused, "same key, another quantity") {
                try inventory.reserve(env.cashier, ReserveStock(key: key, lines: [StockLine(menuItemID: item, quantity: 3)]))
            }
            try Expect.error(InventoryError.keyReused, "same key, another item") {
                try inventory.reserve(
                    env.cashier, ReserveStock(key: key, lines: [StockLine(menuItemID: env.newID(), quantity: 2)]))
            }
            try expectLevel(inventory, env, item, quantity: 3, reserved: 2, "after the refusals")
        },
        Case("commit sells held stock; release afterwards puts it back") { inventory, env in
            let item = try stockedItem(inventory, env, quantity: 10)
            let key = env.key("sale")
            _ = try inventory.reserve(env.cashier, ReserveStock(key: key, lines: [StockLine(menuItemID: item, quantity: 3)]))
            let sold = try inventory.commit(env.cashier, key: key)
            try Expect.equal(sold.status, .committed, "status after commit")
            try expectLevel(inventory, env, item, quantity: 7, reserved: 0, "after commit")
            try Expect.equal(try inventory.commit(env.cashier, key: key), sold, "commit repeated")
            try expectLevel(inventory, env, item, quantity: 7, reserved: 0, "after commit repeated")
            let returned = try inventory.release(env.cashier, key: key)
            try Expect.equal(returned.status, .released, "status after release")
            try expectLevel(inventory, env, item, quantity: 10, reserved: 0, "after release")
            try Expect.equal(try inventory.release(env.cashier, key: key), returned, "release repeated")
            try expectLevel(inventory, env, item, quantity: 10, reserved: 0, "after release repeated")
        },
        Case("releasing a held reservation frees its stock; committing it then is reservationReleased") {
            inventory, env in
            let item = try stockedItem(inventory, env, quantity: 4)
            let key = env.key("released")
            _ = try inventory.reserve(env.cashier, ReserveStock(key: key, lines: [StockLine(menuItemID: item, quantity: 4)]))
            try expectLevel(inventory, env, item, quantity: 0, reserved: 4, "while held")
            try Expect.equal(try inventory.release(env.cashier, key: key).status, .released, "status after release")
            try expectLevel(inventory, env, item, quantity: 4, reserved: 0, "after release")
            try Expect.error(InventoryError.reservationReleased, "commit after release") {
                try inventory.commit(env.cashier, key: key)
            }
            try expectLevel(inventory, env, item, quantity: 4, reserved: 0, "after the refused commit")
        },
        Case("an unknown reservation key is reservationNotFound") { inventory, env in
            try Expect.error(InventoryError.reservationNotFound, "commit of an unknown key") {
                try inventory.commit(env.cashier, key: env.key("unknown"))
            }
            try Expect.error(InventoryError.reservationNotFound, "release of an unknown key") {
                try inventory.release(env.cashier, key: env.key("unknown"))
            }
        },
    ]
}
