/// An amount in integer minor units (cents) of one currency. Never a `Double`.
public struct Money: Codable, Sendable, Hashable {
    public var amountCents: Int64
    public var currency: String

    public init(amountCents: Int64, currency: String) {
        self.amountCents = amountCents
        self.currency = currency
    }

    /// ISO 4217 shape: three upper-case ASCII letters.
    public static func isValidCurrency(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }

    enum CodingKeys: String, CodingKey {
        case amountCents = "amount_cents"
        case currency
    }
}
