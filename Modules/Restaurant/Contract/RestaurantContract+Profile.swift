import Contract
import Platform
import RestaurantAPI

extension RestaurantContract {
    static let profile: [Case] = [
        Case("a restaurant that never saved a profile reads the defaults: its tenant id as name, USD") {
            restaurant, env in
            try Expect.equal(
                try restaurant.profile(env.cashier), RestaurantProfile(name: env.tenant.value, currency: "USD"),
                "profile before any save")
        },
        Case("a manager's profile change keeps the fields not given; an empty address or phone clears it") {
            restaurant, env in
            let first = try restaurant.updateProfile(
                env.manager,
                RestaurantProfileChanges(name: "  Chez Banyan  ", address: "1 Main Street", phone: "555 0100", currency: "EUR"))
            try Expect.equal(
                first, RestaurantProfile(name: "Chez Banyan", address: "1 Main Street", phone: "555 0100", currency: "EUR"),
                "profile after the first save (name trimmed)")
            try Expect.equal(try restaurant.profile(env.cashier), first, "profile read back by a cashier")

            let second = try restaurant.updateProfile(env.admin, RestaurantProfileChanges(phone: ""))
            try Expect.equal(
                second, RestaurantProfile(name: "Chez Banyan", address: "1 Main Street", phone: nil, currency: "EUR"),
                "profile after clearing the phone")
            let third = try restaurant.updateProfile(env.manager, RestaurantProfileChanges(address: "", currency: "GBP"))
            try Expect.equal(
                third, RestaurantProfile(name: "Chez Banyan", address: nil, phone: nil, currency: "GBP"),
                "profile after clearing the address and changing the currency")
            try Expect.equal(try restaurant.profile(env.cashier), third, "profile read back at the end")
        },
        Case("a new item without a currency is priced in the restaurant's; one with a currency keeps its own") {
            restaurant, env in
            try Expect.equal(try item(restaurant, env, "Before").currency, "USD", "currency before the profile is saved")
            _ = try restaurant.updateProfile(env.manager, RestaurantProfileChanges(currency: "EUR"))
            try Expect.equal(try item(restaurant, env, "After").currency, "EUR", "currency after the profile says EUR")
            let own = try restaurant.createMenuItem(env.manager, NewMenuItem(name: "Import", priceCents: 900, currency: "JPY"))
            try Expect.equal(own.currency, "JPY", "currency given with the item")
        },
    ]
}
