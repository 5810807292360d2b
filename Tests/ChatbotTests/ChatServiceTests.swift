import ChatbotAPI
import Foundation
import InventoryAPI
import OrdersAPI
import Platform
import RestaurantAPI
import Testing

/// The assistant end to end: real module services over real PostgreSQL,
/// every facade call made as the caller.
@Suite final class ChatServiceTests {
    let fixture: ChatFixture

    init() throws { fixture = try ChatFixture() }
    deinit { fixture.shutdown() }

    @Test func helpAndUnknown() throws {
        for message in ["help", "", "   ", "what can you do?"] {
            let reply = try fixture.ask(message)
            #expect(reply.intent == "help", "\(message)")
            #expect(reply.reply.contains("order 2 burgers and a coke"))
            #expect(reply.json["examples"].array?.count == 6)
        }
        let unknown = try fixture.ask("what's the weather like?")
        #expect(unknown.intent == "unknown")
        #expect(unknown.reply.hasPrefix("Sorry, I didn't understand that."))
        #expect(unknown.reply.contains("cancel order B-000042"))
    }

    @Test func menu() throws {
        #expect(try fixture.ask("show the menu").reply == "The menu is empty right now.")

        let menu = try fixture.seedMenu()
        let hidden = try fixture.restaurant.createMenuItem(
            ChatFixture.context(), NewMenuItem(name: "Secret Special", priceCents: 999, available: false))
        for message in ["show the menu", "What do you have?", "menu"] {
            let reply = try fixture.ask(message)
            #expect(reply.intent == "menu", "\(message)")
            #expect(reply.reply.contains("Burger (8.50 USD)"))
            #expect(reply.reply.contains("Coke (2.50 USD)"))
            #expect(reply.reply.contains("Fries (3.00 USD)"))
            #expect(!reply.reply.contains(hidden.name))
            let ids = Set(reply.json["items"].array?.compactMap { $0["id"].string } ?? [])
            #expect(ids == [menu.burger.id, menu.coke.id, menu.fries.id])
        }
    }

    @Test func price() throws {
        let menu = try fixture.seedMenu()

        let burger = try fixture.ask("how much is the burger")
        #expect(burger.intent == "price")
        #expect(burger.reply == "Burger costs 8.50 USD.")
        #expect(burger.json["item"]["id"].string == menu.burger.id)
        #expect(burger.json["item"]["price_cents"].int == 850)

        let coke = try fixture.ask("Price of cokes?")
        #expect(coke.reply == "Coke costs 2.50 USD.")

        let missing = try fixture.ask("how much is the pizza")
        #expect(missing.intent == "price")
        #expect(missing.reply.hasPrefix("I couldn't find \"pizza\" on the menu."))
        #expect(missing.json["requested"].string == "pizza")

        let suggested = try fixture.ask("price of cola")
        #expect(suggested.reply.contains("Did you mean Coke?"))
        #expect(suggested.json["suggestions"][0].string == "Coke")

        let which = try fixture.ask("how much")
        #expect(which.intent == "price")
        #expect(which.json["items"].array?.count == 3)
    }

    @Test func stock() throws {
        let menu = try fixture.seedMenu()

        let burger = try fixture.ask("is the burger in stock")
        #expect(burger.intent == "stock")
        #expect(burger.reply == "Yes, Burger is in stock: 10 left.")
        #expect(burger.json["stock"]["menu_item_id"].string == menu.burger.id)
        #expect(burger.json["stock"]["quantity"].int == 10)
        #expect(burger.json["stock"]["in_stock"].bool == true)

        let fries = try fixture.ask("do you have fries left")
        #expect(fries.intent == "stock")
        #expect(fries.json["stock"]["tracked"].bool == false)
        #expect(fries.json["stock"]["in_stock"].bool == true)

        _ = try fixture.inventory.setStock(ChatFixture.context(), menuItemID: menu.coke.id, SetStock(quantity: 0))
        let coke = try fixture.ask("any coke left?", role: .cashier)
        #expect(coke.reply == "Sorry, Coke is out of stock.")
        #expect(coke.json["stock"]["in_stock"].bool == false)

        let overview = try fixture.ask("what's in stock?")
        #expect(overview.intent == "stock")
        #expect(overview.reply.contains("Burger: 10 left"))
        #expect(overview.reply.contains("Coke: out of stock"))
        #expect(overview.json["items"].array?.count == 3)
    }

    @Test func placesARealCashOrder() throws {
        let menu = try fixture.seedMenu()

        let reply = try fixture.ask("order 2 burgers and a coke", role: .cashier)
        #expect(reply.intent == "place_order")
        let number = try #require(reply.json["order"]["number"].string)
        #expect(reply.reply == "Order \(number) placed: 2 × Burger, 1 × Coke. Total 19.50 USD, paid in cash.")

        let order = try fixture.orders.order(ChatFixture.context(), number: number)
        #expect(order.id == reply.json["order"]["id"].string)
        #expect(order.status == .completed)
        #expect(order.paymentMethod == "cash")
        #expect(order.paymentStatus == "captured")
        #expect(order.totalCents == 1950)
        #expect(order.items.map(\.menuItemID).sorted() == [menu.burger.id, menu.coke.id].sorted())
        #expect(order.items.first { $0.menuItemID == menu.burger.id }?.quantity == 2)
        #expect(try fixture.stock(menu.burger) == 8)
        #expect(try fixture.stock(menu.coke) == 4)

        // Words for numbers, commas, typos, and the same item twice, merged into one line.
        let second = try fixture.ask("I'd like three fries, 1 burgr please and a burger")
        let secondNumber = try #require(second.json["order"]["number"].string)
        let placed = try fixture.orders.order(ChatFixture.context(), number: secondNumber)
        #expect(placed.status == .completed)
        #expect(placed.items.count == 2)
        #expect(placed.items.first { $0.menuItemID == menu.fries.id }?.quantity == 3)
        #expect(placed.items.first { $0.menuItemID == menu.burger.id }?.quantity == 2)
        #expect(try fixture.stock(menu.burger) == 6)
    }

    @Test func unmatchedItemOrdersNothing() throws {
        let menu = try fixture.seedMenu()

        let reply = try fixture.ask("I'd like three fries, 1 cola please")
        #expect(reply.intent == "place_order")
        #expect(reply.reply == "I couldn't find \"cola\" on the menu. Did you mean Coke? Nothing was ordered yet.")
        #expect(reply.json["unmatched"][0]["requested"].string == "cola")
        #expect(reply.json["unmatched"][0]["suggestions"][0].string == "Coke")
        #expect(reply.json["order"].value == nil)

        let unknown = try fixture.ask("order 2 pizzas")
        #expect(unknown.reply.contains("We have Burger, Coke and Fries."))

        #expect(try fixture.orderCount() == 0)
        #expect(try fixture.stock(menu.burger) == 10)
    }

    @Test func refusedOrdersAreReplies() throws {
        let menu = try fixture.seedMenu()

        let short = try fixture.ask("order 11 burgers")
        #expect(short.intent == "place_order")
        #expect(short.reply == "Sorry, we don't have enough Burger in stock right now. Nothing was ordered.")
        #expect(short.json["code"].string == "out_of_stock")
        #expect(short.json["items"][0].string == "Burger")
        #expect(try fixture.stock(menu.burger) == 10)
        #expect(try fixture.orderCount(status: .completed) == 0)

        let tooMany = try fixture.ask("order 5000 cokes")
        #expect(tooMany.reply.hasPrefix("I can take 1 to 1000 of an item"))
        let zero = try fixture.ask("order 0 cokes")
        #expect(zero.reply.hasPrefix("I can take 1 to 1000 of an item"))
        #expect(try fixture.orderCount() == 0)
    }

    @Test func orderStatusByNumber() throws {
        try fixture.seedMenu()
        let number = try #require(try fixture.ask("order a burger").json["order"]["number"].string)
        #expect(number == "B-000001")

        for message in ["status of order B-000001", "where is B-1", "is order b1 ready?"] {
            let reply = try fixture.ask(message, role: .cashier)
            #expect(reply.intent == "order_status", "\(message)")
            #expect(reply.reply == "Order B-000001 is completed and paid: 1 × Burger, total 8.50 USD.")
            #expect(reply.json["order"]["status"].string == "completed")
        }

        let missing = try fixture.ask("status of order B-999")
        #expect(missing.intent == "order_status")
        #expect(missing.reply == "I couldn't find order B-000999.")
        #expect(missing.json["code"].string == "order_not_found")

        let which = try fixture.ask("order status")
        #expect(which.intent == "order_status")
        #expect(which.reply.hasPrefix("Which order?"))
    }

    @Test func cancelAsManager() throws {
        let menu = try fixture.seedMenu()
        let number = try #require(try fixture.ask("order 2 burgers").json["order"]["number"].string)
        #expect(try fixture.stock(menu.burger) == 8)

        let reply = try fixture.ask("cancel order \(number)", role: .manager)
        #expect(reply.intent == "cancel_order")
        #expect(reply.reply == "Order \(number) is cancelled: 17.00 USD refunded and its items put back in stock.")
        #expect(reply.json["order"]["status"].string == "cancelled")
        let order = try fixture.orders.order(ChatFixture.context(), number: number)
        #expect(order.status == .cancelled)
        #expect(order.paymentStatus == "refunded")
        #expect(try fixture.stock(menu.burger) == 10)

        let again = try fixture.ask("please cancel B-1", role: .manager)
        #expect(again.intent == "cancel_order")
        #expect(again.reply == "Order \(number) is already cancelled.")
        #expect(again.json["code"].string == "already_cancelled")
    }

    @Test func cancelAsCashierIsRefusedPolitely() throws {
        let menu = try fixture.seedMenu()
        let number = try #require(try fixture.ask("order 2 burgers").json["order"]["number"].string)

        let reply = try fixture.ask("cancel order \(number)", role: .cashier)
        #expect(reply.intent == "cancel_order")
        #expect(reply.reply.contains("needs a manager"))
        #expect(reply.json["code"].string == "insufficient_role")
        let order = try fixture.orders.order(ChatFixture.context(), number: number)
        #expect(order.status == .completed)
        #expect(order.paymentStatus == "captured")
        #expect(try fixture.stock(menu.burger) == 8)
    }

    @Test func anotherRestaurantsOrdersAreNotThere() throws {
        let menu = try fixture.seedMenu(tenant: "t-chat-a")
        let number = try #require(
            try fixture.ask("order a burger", tenant: "t-chat-a").json["order"]["number"].string)

        let status = try fixture.ask("status of order \(number)", tenant: "t-chat-b")
        #expect(status.reply == "I couldn't find order \(number).")
        let cancel = try fixture.ask("cancel order \(number)", tenant: "t-chat-b", role: .admin)
        #expect(cancel.reply == "I couldn't find order \(number).")
        #expect(try fixture.ask("show the menu", tenant: "t-chat-b").reply == "The menu is empty right now.")
        let order = try fixture.ask("order a burger", tenant: "t-chat-b")
        #expect(order.json["order"].value == nil)
        #expect(try fixture.ask("is the burger in stock", tenant: "t-chat-b").json["stock"].value == nil)

        #expect(try fixture.orders.order(ChatFixture.context("t-chat-a"), number: number).status == .completed)
        #expect(try fixture.stock(menu.burger, tenant: "t-chat-a") == 9)
        #expect(try fixture.orderCount(tenant: "t-chat-b") == 0)
    }

    static let oddInputs: [String] = [
        "", " ", "\n\n\t", String(repeating: "a", count: 10 * 1024), String(repeating: "burger ", count: 1500),
        String(repeating: "order 2 burgers and ", count: 600), String(repeating: "🍔", count: 3000), "🍔🍟🥤",
        "order 🍔🍔", "'; DROP TABLE orders.orders; --", "Robert'); DROP TABLE restaurant.menu_items;--",
        "1' OR '1'='1", "cancel order B-1' OR 1=1 --", "status of B-000001; DELETE FROM orders.orders",
        "\u{0}\u{1}\u{7}\u{1B}[2J\u{7F}", "\u{FEFF}\u{200B}\u{202E}menu", "e" + String(repeating: "\u{301}", count: 5000),
        "مرحبا كم سعر البرجر", "汉堡多少钱", "%s%n%x{}", "<script>alert(1)</script>", "{{7*7}} ${7*7}",
        "order 99999999999999999999 burgers", "order -1 burgers", "B-", "cancel", "order ,,, and and &&",
        "status of order B-99999999999", String(repeating: "order a burger, ", count: 40), "\\u0000 \\n",
    ]

    @Test func oddInputsAlwaysGetAReply() throws {
        let menu = try fixture.seedMenu()
        let intents: Set<String> = [
            "help", "menu", "price", "stock", "place_order", "order_status", "cancel_order", "unknown",
        ]
        for (index, message) in Self.oddInputs.enumerated() {
            let reply = try fixture.ask(message, role: .cashier)
            #expect(intents.contains(reply.intent), "input \(index)")
            #expect(!reply.reply.isEmpty, "input \(index)")
            #expect(reply.reply.unicodeScalars.count < 2_000, "input \(index): reply of \(reply.reply.count)")
            #expect(reply.json["order"].value == nil, "input \(index) placed an order: \(reply.reply)")
        }
        // Nothing was ordered, nothing was dropped: the menu still answers from its tables.
        #expect(try fixture.orderCount() == 0)
        #expect(try fixture.stock(menu.burger) == 10)
        #expect(try fixture.ask("show the menu").json["items"].array?.count == 3)
    }
}
