/// `POST /restaurant/menu`. `currency` defaults to the restaurant's.
public struct NewMenuItem: Codable, Sendable {
    public var name: String
    public var description: String?
    public var priceCents: Int64
    public var currency: String?
    public var category: String?
    public var available: Bool?

    public init(
        name: String, description: String? = nil, priceCents: Int64, currency: String? = nil, category: String? = nil,
        available: Bool? = nil
    ) {
        self.name = name
        self.description = description
        self.priceCents = priceCents
        self.currency = currency
        self.category = category
        self.available = available
    }

    enum CodingKeys: String, CodingKey {
        case name, description, currency, category, available
        case priceCents = "price_cents"
    }
}

/// `PATCH /restaurant/menu/{id}`: only the fields present change.
public struct MenuItemChanges: Codable, Sendable {
    public var name: String?
    public var description: String?
    public var priceCents: Int64?
    public var currency: String?
    public var category: String?
    public var available: Bool?

    public init(
        name: String? = nil, description: String? = nil, priceCents: Int64? = nil, currency: String? = nil,
        category: String? = nil, available: Bool? = nil
    ) {
        self.name = name
        self.description = description
        self.priceCents = priceCents
        self.currency = currency
        self.category = category
        self.available = available
    }

    enum CodingKeys: String, CodingKey {
        case name, description, currency, category, available
        case priceCents = "price_cents"
    }
}
