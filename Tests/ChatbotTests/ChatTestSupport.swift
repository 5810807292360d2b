import BanyanTestSupport
import Chatbot
import ChatbotAPI
import Inventory
import InventoryAPI
import Orders
import OrdersAPI
import Payments
import Platform
import Postgres
import Restaurant
import RestaurantAPI

/// The real Restaurant, Inventory, Payments and Orders services over one
/// fresh database, with the chat assistant on top of their facades. A suite
/// owns one per test: made in its `init`, shut down in its `deinit`.
struct ChatFixture {
    let database: Database
    let restaurant: RestaurantService
    let inventory: InventoryService
    let orders: OrdersService
    let chat: ChatService

    init() throws {
        database = try TestDatabase.open(
            modules: [RestaurantSchema.module, InventorySchema.module, PaymentsSchema.module, OrdersSchema.module],
            prefix: "chat", poolWaitTimeout: 30)
        restaurant = RestaurantService(pool: database.pool(for: "restaurant"))
        inventory = InventoryService(pool: database.pool(for: "inventory"))
        let payments = PaymentsService(pool: database.pool(for: "payments"), processor: SimulatedCardProcessor())
        orders = OrdersService(
            pool: database.pool(for: "orders"), restaurant: restaurant, inventory: inventory, payments: payments,
            log: .discard)
        chat = ChatService(restaurant: restaurant, inventory: inventory, orders: orders)
    }

    func shutdown() { database.shutdown() }

    static func context(_ tenant: String = "t-chat-a", role: Role = .admin) -> CallContext {
        CallContext(tenant: TenantID(tenant)!, userID: "u-\(role.rawValue)", role: role, requestID: "test")
    }

    struct Menu {
        var burger: MenuItem
        var coke: MenuItem
        var fries: MenuItem
    }

    /// Burger 8.50 (10 in stock), Coke 2.50 (5 in stock), Fries 3.00 (stock not tracked).
    @discardableResult
    func seedMenu(tenant: String = "t-chat-a") throws -> Menu {
        let manager = Self.context(tenant, role: .manager)
        func item(_ name: String, _ cents: Int64) throws -> MenuItem {
            try restaurant.createMenuItem(manager, NewMenuItem(name: name, priceCents: cents, currency: "USD"))
        }
        let menu = Menu(burger: try item("Burger", 850), coke: try item("Coke", 250), fries: try item("Fries", 300))
        _ = try inventory.setStock(manager, menuItemID: menu.burger.id, SetStock(quantity: 10))
        _ = try inventory.setStock(manager, menuItemID: menu.coke.id, SetStock(quantity: 5))
        return menu
    }

    func ask(_ message: String, tenant: String = "t-chat-a", role: Role = .admin) throws -> ChatReply {
        try chat.reply(Self.context(tenant, role: role), ChatMessage(message: message))
    }

    func stock(_ item: MenuItem, tenant: String = "t-chat-a") throws -> Int? {
        try inventory.stockLevel(Self.context(tenant), menuItemID: item.id)?.quantity
    }

    func orderCount(tenant: String = "t-chat-a", status: Order.Status? = nil) throws -> Int {
        try orders.orders(Self.context(tenant), OrderQuery(status: status)).total
    }
}

/// A walk through a reply's `data`: any step that does not fit gives nil
/// at the end instead of a crash, so a wrong shape fails the expectation.
struct ChatJSON {
    let value: JSONValue?

    subscript(key: String) -> ChatJSON {
        if case .object(let members)? = value { ChatJSON(value: members[key]) } else { ChatJSON(value: nil) }
    }

    subscript(index: Int) -> ChatJSON {
        if case .array(let values)? = value, values.indices.contains(index) {
            ChatJSON(value: values[index])
        } else {
            ChatJSON(value: nil)
        }
    }

    var string: String? { if case .string(let text)? = value { text } else { nil } }
    var int: Int64? { if case .int(let number)? = value { number } else { nil } }
    var bool: Bool? { if case .bool(let flag)? = value { flag } else { nil } }
    var array: [ChatJSON]? { if case .array(let values)? = value { values.map { ChatJSON(value: $0) } } else { nil } }
}

extension ChatReply {
    var json: ChatJSON { ChatJSON(value: data) }
}
