import Contract
import RestaurantAPI

/// What any provider of `RestaurantFacade` must do, written once: the
/// Restaurant module in this process, `restaurant-service` started by the
/// tests, and a deployed service checked by `banyan contract restaurant`.
///
/// Every case works in tenants of its own with fresh order ids, so the
/// suite can run against a service that already holds data, and cases can
/// run in parallel.
public enum RestaurantContract {
    public typealias Case = ContractCase<any RestaurantFacade>

    /// Every case, in the order `banyan contract restaurant` runs them.
    public static let cases: [Case] = profile + menu + prices + kitchen + roles + isolation + validation

    /// An available item in no category, created by a manager.
    static func item(
        _ restaurant: any RestaurantFacade, _ env: ContractEnvironment, _ name: String, cents: Int64 = 500,
        category: String? = nil, available: Bool = true
    ) throws -> MenuItem {
        try restaurant.createMenuItem(
            env.manager, NewMenuItem(name: name, priceCents: cents, category: category, available: available))
    }

    /// The ticket of a fresh order: two espressos and a croissant.
    static func newTicket(_ env: ContractEnvironment, number: String = "A-1") -> NewKitchenTicket {
        NewKitchenTicket(
            orderID: env.newID(), orderNumber: number,
            items: [KitchenTicket.Line(name: "Espresso", quantity: 2), KitchenTicket.Line(name: "Croissant", quantity: 1)])
    }

    /// Runs `call` expecting `invalidInput` whose detail names `field` (`"<field>: <reason>"`).
    static func expectInvalid<Result>(_ field: String, _ what: String, _ call: () throws -> Result) throws {
        let error = try Expect.error(RestaurantError.invalidInput(field: field, reason: ""), what, call)
        try Expect.that(error.detail.hasPrefix(field + ":"), "the error for \(what) names \(field) (\(error.detail))")
    }
}
