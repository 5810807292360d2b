/// What a user may do in their restaurant. Ordered: admin > manager > cashier.
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
