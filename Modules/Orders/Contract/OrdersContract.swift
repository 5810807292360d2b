import Contract
import InventoryAPI
import OrdersAPI
import Platform
import RestaurantAPI

/// What any provider of `OrdersFacade` must do, written once: Orders in
/// this process and `orders-service` started by the tests.
///
/// A checkout sells what Restaurant prices and Inventory holds, so a case
/// arranges its menu and stock through those modules — the ones the
/// provider under test calls for the same tenant. The provider is reached
/// through one transport that carries the operations of all three
/// (`Provider.init(transport:)`): Orders' to the provider under test, the
/// others' to where that provider reaches them.
///
/// Every case works in tenants of its own, so the suite can run against a
/// provider that already holds data, and cases can run in parallel.
public enum OrdersContract {
    public struct Provider: Sendable {
        public let orders: any OrdersFacade
        /// Where the case prices its menu: the Restaurant the provider prices from.
        public let restaurant: any RestaurantFacade
        /// Where the case stocks its menu: the Inventory the provider reserves from.
        public let inventory: any InventoryFacade

        public init(orders: any OrdersFacade, restaurant: any RestaurantFacade, inventory: any InventoryFacade) {
            self.orders = orders
            self.restaurant = restaurant
            self.inventory = inventory
        }
    }

    public typealias Case = ContractCase<Provider>

    /// Every case, in the order a runner runs them.
    public static let cases: [Case] = checkout + cancel + idempotency + lookup + paging + roles + isolation + validation

    /// The checkout saga's own contract, the cases whose outcome depends on
    /// Payments and Inventory as well as Orders (placed, declined, out of
    /// stock, unknown items, cancel, replay): what must hold wherever each of
    /// the three is homed for the tenant.
    public static let saga: [Case] = checkout + cancel + idempotency

    /// An available menu item with `stock` of it on hand, set up by a manager.
    static func stocked(
        _ provider: Provider, _ env: ContractEnvironment, _ name: String, cents: Int64 = 450, stock: Int = 10
    ) throws -> MenuItem {
        let item = try provider.restaurant.createMenuItem(env.manager, NewMenuItem(name: name, priceCents: cents))
        _ = try provider.inventory.setStock(env.manager, menuItemID: item.id, SetStock(quantity: stock))
        return item
    }

    /// A checkout of `quantity` of one item.
    static func sale(_ item: MenuItem, quantity: Int = 1, card token: String? = nil) -> PlaceOrder {
        PlaceOrder(
            items: [PlaceOrder.Item(menuItemID: item.id, quantity: quantity)],
            payment: token.map { PlaceOrder.Payment(method: "card", token: $0) } ?? PlaceOrder.Payment(method: "cash"))
    }

    /// The stock on hand of `item` and how much of it is held.
    static func stock(_ provider: Provider, _ env: ContractEnvironment, _ item: MenuItem) throws -> (Int, Int) {
        let level = try Expect.some(try provider.inventory.stockLevel(env.manager, menuItemID: item.id), "stock of \(item.name)")
        return (level.quantity, level.reserved)
    }

    /// Runs `call` expecting it to fail with the problem `status`/`code`.
    /// Errors a checkout passes on from other modules (`out_of_stock`, a
    /// declined card) reach a remote caller as the problem itself, so the
    /// contract holds their wire form, which is the same on both paths.
    @discardableResult
    static func expectProblem<Result>(
        _ status: Int, _ code: String, _ what: String, _ call: () throws -> Result
    ) throws -> Problem {
        let outcome: Result
        do {
            outcome = try call()
        } catch let failure as ContractFailure {
            throw failure
        } catch let convertible as any ProblemConvertible {
            let problem = convertible.problem
            try Expect.equal("\(problem.status) \(problem.code)", "\(status) \(code)", what)
            return problem
        }
        throw ContractFailure("\(what): expected \(status) \(code), got success: \(outcome)")
    }

    /// Runs `call` expecting `invalidInput` whose detail names `field` (`"<field>: <reason>"`).
    static func expectInvalid<Result>(_ field: String, _ what: String, _ call: () throws -> Result) throws {
        let error = try Expect.error(OrdersError.invalidInput(field: field, reason: ""), what, call)
        try Expect.that(error.detail.hasPrefix(field + ":"), "the error for \(what) names \(field) (\(error.detail))")
    }

    /// A problem's text member (`order_id`), if it is one.
    static func text(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { text } else { nil }
    }

    /// What a provider answers about an order, without its creation time
    /// (whole seconds on the wire, finer in process).
    static func summary(_ order: Order) -> String {
        let lines = order.items.map { "\($0.menuItemID)x\($0.quantity)@\($0.unitPriceCents) \($0.name)" }
        return "\(order.id) \(order.number) \(order.status.rawValue) \(order.totalCents) \(order.currency) "
            + "\(lines) \(order.paymentStatus ?? "-") \(order.paymentMethod ?? "-") \(order.failureCode ?? "-")"
    }
}
