/// The restaurant itself: its name, contact and the currency it sells in.
public struct RestaurantProfile: Codable, Sendable, Equatable {
    public var name: String
    public var address: String?
    public var phone: String?
    /// Default currency of new menu items (ISO 4217).
    public var currency: String

    public init(name: String, address: String? = nil, phone: String? = nil, currency: String) {
        self.name = name
        self.address = address
        self.phone = phone
        self.currency = currency
    }
}

/// `PATCH /restaurant`: only the fields present change.
public struct RestaurantProfileChanges: Codable, Sendable {
    public var name: String?
    public var address: String?
    public var phone: String?
    public var currency: String?

    public init(name: String? = nil, address: String? = nil, phone: String? = nil, currency: String? = nil) {
        self.name = name
        self.address = address
        self.phone = phone
        self.currency = currency
    }
}
