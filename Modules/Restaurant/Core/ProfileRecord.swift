import Postgres
import RestaurantAPI

/// A `restaurant.profile` row as the API shows it.
struct ProfileRecord {
    var profile: RestaurantProfile

    /// The select list every statement returning a profile uses.
    static let columns: StaticString = "name, address, phone, currency"

    init(row: PostgresRow) throws {
        profile = RestaurantProfile(
            name: try row.string("name"), address: try row.optionalString("address"),
            phone: try row.optionalString("phone"), currency: try row.string("currency"))
    }
}
