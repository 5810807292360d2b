/// What a member of staff may do in their restaurant. Ordered: admin > manager > cashier.
/// Every module checks it through `CallContext.require(_:)`.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case cashier
    case manager
    case admin

    private var rank: Int {
        switch self {
        case .cashier: 0
        case .manager: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
